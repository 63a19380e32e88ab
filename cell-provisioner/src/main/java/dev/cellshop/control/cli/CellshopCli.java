package dev.cellshop.control.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The control-plane CLI behind {@code ops/cellshop} (cell, shop, topology, move ...).
 * {@code up | down | status} of the local platform live in ops/cellshop itself; the
 * control-plane commands are added here by the control-plane issue.
 */
@Command(name = "cellshop", mixinStandardHelpOptions = true, version = "cellshop 0.1.0",
        description = "cellshop control plane", subcommands = {CommandLine.HelpCommand.class})
public final class CellshopCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CellshopCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
