package dev.cellshop.control.cli;

import dev.cellshop.control.ControlPlaneMain;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The control-plane CLI behind {@code ops/cellshop} (shop, cell, move, rebalance, topology, audit), talking
 * to the control plane's HTTP API; {@code serve} runs the control plane itself. {@code up |
 * down | status | start | stop} of the local platform live in ops/cellshop.
 */
@Command(name = "cellshop", mixinStandardHelpOptions = true, version = "cellshop 0.1.0",
        description = "cellshop control plane",
        subcommands = {ShopCommand.class, CellCommand.class, MoveCommand.class, RebalanceCommand.class, TopologyCommand.class,
                AuditCommand.class, CellshopCli.Serve.class, CommandLine.HelpCommand.class})
public final class CellshopCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) {
            // a server, not a command: it must outlive main, so it never reaches System.exit
            ControlPlaneMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new CellshopCli()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliFailure failure) {
                cmd.getErr().println("cellshop: " + failure.getMessage());
                return failure.exitCode();
            }
            cmd.getErr().println("cellshop: unexpected error: " + e);
            return CliFailure.OTHER;
        });
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "serve", description = "run the control plane HTTP API (settings: CELLSHOP_<KEY>; 'serve --help' lists them)")
    static final class Serve implements Runnable {
        @Override
        public void run() {
            // reached only through picocli's help; main() starts the server before picocli
        }
    }
}
