package dev.cellshop.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "cell", description = "the cells of the platform",
        subcommands = {CellCommand.List.class, CellCommand.Show.class, CellCommand.Create.class, CellCommand.Drain.class,
                CellCommand.Retire.class})
final class CellCommand {

    static final java.util.List<String> HEADER = java.util.List.of("CELL", "STATE", "SHOPS", "MAX", "HEADROOM");

    static java.util.List<String> row(JsonNode cell) {
        return java.util.List.of(Output.text(cell, "cellId"), Output.text(cell, "state"), Output.text(cell, "shops"),
                Output.text(cell.path("capacity"), "maxShops"), Output.percent(cell, "headroom"));
    }

    static void table(PrintWriter out, JsonNode cells) {
        java.util.List<java.util.List<String>> rows = new ArrayList<>();
        cells.forEach(c -> rows.add(row(c)));
        Output.table(out, HEADER, rows);
    }

    @Command(name = "list", description = "every cell with its state, shops and headroom")
    static final class List implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--json", description = "machine-readable output") boolean json;

        @Override
        public Integer call() {
            JsonNode cells = ControlPlaneClient.fromEnvironment(System.getenv()).get("/v1/cells");
            if (json) {
                Output.json(spec.commandLine().getOut(), cells);
            } else {
                table(spec.commandLine().getOut(), cells);
            }
            return 0;
        }
    }

    @Command(name = "show", description = "one cell: state, shops, capacity, endpoints")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "CELL") String cell;
        @Option(names = "--json", description = "machine-readable output") boolean json;

        @Override
        public Integer call() {
            JsonNode view = ControlPlaneClient.fromEnvironment(System.getenv()).get("/v1/cells/" + cell);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Output.json(out, view);
            } else {
                table(out, dev.cellshop.kernel.json.Json.mapper().createArrayNode().add(view));
                out.println("mysql      " + Output.text(view.path("endpoints"), "mysql"));
                out.println("redis      " + Output.text(view.path("endpoints"), "redis"));
                out.println("memcached  " + Output.text(view.path("endpoints"), "memcached"));
                out.println("reason     " + Output.text(view, "stateReason"));
            }
            return 0;
        }
    }

    @Command(name = "create", description = "a new cell: without --mysql/--redis/--memcached a local one (the launcher's"
            + " cell-up starts its stores and runtimes); then the control plane migrates its schema, certifies it (canary"
            + " checkout through the router) and makes it ACTIVE, or keeps it out with the reason")
    static final class Create implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--mysql", description = "an existing cell's MySQL: mysql://host:port/db or host:port (no user, password or driver"
                + " parameters; the control plane reads its password from cell.secrets-dir/NAME/mysql-password)") String mysql;
        @Option(names = "--redis", description = "an existing cell's Redis: redis://host:port") String redis;
        @Option(names = "--memcached", description = "an existing cell's Memcached: host:port") String memcached;
        @Option(names = "--max-shops", description = "capacity in shops (default: the control plane's cell.max-shops)") Integer maxShops;
        @Option(names = "--json", description = "machine-readable output") boolean json;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("cellId", name);
            if (mysql == null && redis == null && memcached == null) {
                body.putAll(LocalCellLauncher.fromEnvironment(System.getenv()).start(name, spec.commandLine().getErr()));
            } else if (mysql == null || redis == null || memcached == null) {
                throw new CliFailure(CliFailure.USAGE, "give all of --mysql, --redis and --memcached (an existing cell), or none"
                        + " (a new cell of the local platform)");
            } else {
                body.put("mysql", mysql);
                body.put("redis", redis);
                body.put("memcached", memcached);
            }
            if (maxShops != null) {
                body.put("maxShops", maxShops);
            }
            JsonNode cell = ControlPlaneClient.fromEnvironment(System.getenv()).post("/v1/cells", body);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Output.json(out, cell);
            } else {
                out.println("cell " + Output.text(cell, "cellId") + ": " + Output.text(cell, "state")
                        + " (" + Output.text(cell, "stateReason") + ")");
            }
            return 0;
        }
    }

    @Command(name = "drain", description = "stop placing new shops on a cell (DRAINING), then move every shop off it, a few at a time")
    static final class Drain implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "CELL") String cell;
        @Option(names = "--no-move", description = "only mark it DRAINING; its shops stay until moved") boolean noMove;
        @Option(names = "--json", description = "machine-readable output (the cell; with moves, the ended moves)") boolean json;

        @Override
        public Integer call() throws InterruptedException {
            if (noMove) {
                return lifecycle(spec, "/v1/cells/" + cell + "/drain", json);
            }
            ControlPlaneClient client = ControlPlaneClient.fromEnvironment(System.getenv());
            client.post("/v1/cells/" + cell + "/drain", Map.of());
            JsonNode moves = client.post("/v1/cells/" + cell + "/evacuate", Map.of()).path("moves");
            PrintWriter out = spec.commandLine().getOut();
            if (!json) {
                out.println("cell " + cell + ": DRAINING; moving its " + moves.size() + " shop(s) off");
            }
            java.util.List<JsonNode> ended = new ArrayList<>();
            int aborted = 0;
            for (JsonNode move : moves) {
                JsonNode done = MoveCommand.follow(client, move.path("moveId").asText(), null);
                ended.add(done);
                if (done.path("phase").asText().equals("ABORTED")) {
                    aborted++;
                }
                if (!json) {
                    out.println(MoveCommand.endedLine(ended.size(), moves.size(), done));
                    out.flush();
                }
            }
            if (json) {
                Output.json(out, Json.mapper().valueToTree(ended));
            }
            return aborted == 0 ? 0 : CliFailure.CONFLICT;
        }
    }

    @Command(name = "retire", description = "retire a drained cell that holds no shop any more (RETIRED, final)")
    static final class Retire implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "CELL") String cell;
        @Option(names = "--json", description = "machine-readable output") boolean json;

        @Override
        public Integer call() {
            return lifecycle(spec, "/v1/cells/" + cell + "/retire", json);
        }
    }

    private static int lifecycle(CommandSpec spec, String path, boolean json) {
        JsonNode view = ControlPlaneClient.fromEnvironment(System.getenv()).post(path, Map.of());
        if (json) {
            Output.json(spec.commandLine().getOut(), view);
        } else {
            spec.commandLine().getOut().println("cell " + Output.text(view, "cellId") + ": " + Output.text(view, "state")
                    + " (" + Output.text(view, "stateReason") + ")");
        }
        return 0;
    }
}
