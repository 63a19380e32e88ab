package dev.cellshop.cell.bench;

/**
 * The load generator of {@code ops/bench/cell}: one cell-runtime instance driven directly (as a
 * router would, with signed requests), next to a raw JDBC loop doing the checkout's transaction.
 * Each mode prints {@code key=value} lines on stdout ({@link Results}); the script turns them into its summary.
 *
 * <pre>
 *   setup     state=DIR port=N secret=S out=FILE [variants=1] [inventory=900000000]
 *   checkouts props=FILE [connections=64] [warmup=5] [duration=20] [carts=30000] [pids=runtime:PID,mariadb:PID]
 *             [port=N (another instance)] [label=checkout (prefix of the figures)]
 *   raw       props=FILE [connections=64] [warmup=5] [duration=20] [pids=...]
 *   sign      props=FILE method=GET path=/api/v1/products/ID
 * </pre>
 */
public final class CellBench {

    private CellBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: CellBench setup|checkouts|raw|sign key=value...");
        }
        BenchOptions options = BenchOptions.parse(args, 1);
        switch (args[0]) {
            case "setup" -> SetupMode.run(options);
            case "checkouts" -> CheckoutMode.run(options);
            case "raw" -> RawJdbcMode.run(options);
            case "sign" -> SignMode.run(options);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0); // client libraries leave non-daemon threads behind
    }
}
