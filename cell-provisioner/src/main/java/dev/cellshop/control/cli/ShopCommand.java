package dev.cellshop.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "shop", description = "create, show and move shops", subcommands = {ShopCommand.Create.class, ShopCommand.Show.class,
        MoveCommand.Start.class})
final class ShopCommand {

    @Command(name = "create", description = "create a shop on the ACTIVE cell with the most headroom (or --cell); prints its admin token once")
    static final class Create implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--name", required = true, description = "the shop's name") String name;
        @Option(names = "--domain", required = true, description = "the shop's domain, unique on the platform") String domain;
        @Option(names = "--cell", description = "the cell to place it on (default: chosen by headroom)") String cell;
        @Option(names = "--currency", description = "ISO 4217 code (default EUR)") String currency;
        @Option(names = "--json", description = "machine-readable output") boolean json;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("domain", domain);
            if (cell != null) {
                body.put("cell", cell);
            }
            if (currency != null) {
                body.put("currency", currency);
            }
            JsonNode created = ControlPlaneClient.fromEnvironment(System.getenv()).post("/v1/shops", body);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Output.json(out, created);
            } else {
                out.println("created shop " + Output.text(created, "shopId") + " on " + Output.text(created, "cellId"));
                out.println("admin token (shown only now; keep it): " + Output.text(created, "adminToken"));
            }
            return 0;
        }
    }

    @Command(name = "show", description = "a shop's placement (cell, state, epoch) and domain")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "SHOP", description = "the shop id") String shop;
        @Option(names = "--json", description = "machine-readable output") boolean json;

        @Override
        public Integer call() {
            if (!shop.matches("[1-9][0-9]{0,18}")) {
                throw new CliFailure(CliFailure.USAGE, "invalid shop id '" + shop + "': a positive decimal number");
            }
            JsonNode view = ControlPlaneClient.fromEnvironment(System.getenv()).get("/v1/shops/" + shop);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Output.json(out, view);
            } else {
                for (String field : new String[] {"shopId", "name", "domain", "cellId", "state", "epoch"}) {
                    out.printf("%-8s %s%n", field, Output.text(view, field));
                }
            }
            return 0;
        }
    }
}
