package dev.cellshop.control.mover.bench;

import dev.cellshop.control.mover.CellMysql;
import dev.cellshop.control.mover.RowCopier;
import dev.cellshop.control.mover.ShopTable;
import dev.cellshop.control.mover.ShopTables;
import dev.cellshop.control.mover.Throttle;
import dev.cellshop.control.mover.Verifier;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java side of {@code ops/bench/move}: {@code copy} times {@link RowCopier} moving one
 * shop's rows from one cell to another, then checks them with the {@link Verifier}; prints
 * {@code key=value} lines. Arguments are {@code key=value}: source=host:port target=host:port
 * password=.. (the source's) target_password=.. shop=.. batch=.. parallelism=.. prefix=..
 */
public final class MoveBench {

    private MoveBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        CellMysql source = cell(a.get("source"), a.get("password"));
        CellMysql target = cell(a.get("target"), a.getOrDefault("target_password", a.get("password")));
        long shop = Long.parseLong(a.get("shop"));
        String p = a.getOrDefault("prefix", "copy");
        List<ShopTable> tables;
        try (Connection c = source.connect()) {
            tables = ShopTables.discover(c, source.database());
        }
        RowCopier copier = new RowCopier(source, target, shop, new RowCopier.Options(Integer.parseInt(a.getOrDefault("batch", "2000")),
                Integer.parseInt(a.getOrDefault("parallelism", "4"))), Throttle.NEVER, RowCopier.BatchListener.NONE);
        long t0 = System.nanoTime();
        copier.copy(tables, Map.of(), Map.of());
        double seconds = (System.nanoTime() - t0) / 1e9;
        long rows = copier.progress().copiedRows();
        System.out.printf("%s.rows=%d%n%s.seconds=%.2f%n%s.rate=%.0f%n", p, rows, p, seconds, p, rows / seconds);
        long v0 = System.nanoTime();
        Verifier.Result result = new Verifier(source, target, shop, 10_000).verify(tables);
        System.out.printf("%s.verify_seconds=%.2f%n%s.verified_equal=%s%n", p, (System.nanoTime() - v0) / 1e9, p, result.equal());
        result.difference().ifPresent(d -> System.out.println(p + ".difference=" + d));
    }

    private static CellMysql cell(String hostPort, String password) {
        int colon = hostPort.lastIndexOf(':');
        return new CellMysql(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), "cellshop", "cellshop", password);
    }
}
