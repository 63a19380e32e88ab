package dev.cellshop.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code shop move} starts a move and follows it; {@code move list|show|abort} look at and stop moves. */
@Command(name = "move", description = "shop moves between cells", subcommands = {MoveCommand.ListMoves.class, MoveCommand.Show.class,
        MoveCommand.Abort.class})
final class MoveCommand {

    private static final Set<String> ENDED = Set.of("COMPLETED", "ABORTED");
    static final long POLL_MILLIS = 250;

    @Command(name = "move", description = "move a live shop to another cell, with a live progress line (--json: the final state)")
    static final class Start implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "SHOP", description = "the shop id") String shop;
        @Option(names = "--to", required = true, paramLabel = "CELL", description = "the target cell (ACTIVE, with headroom)") String to;
        @Option(names = "--no-wait", description = "start it and return (follow it with 'move show')") boolean noWait;
        @Option(names = "--json", description = "machine-readable output") boolean json;

        @Override
        public Integer call() throws InterruptedException {
            if (!shop.matches("[1-9][0-9]{0,18}")) {
                throw new CliFailure(CliFailure.USAGE, "invalid shop id '" + shop + "': a positive decimal number");
            }
            ControlPlaneClient client = ControlPlaneClient.fromEnvironment(System.getenv());
            JsonNode move = client.post("/v1/moves", Map.of("shopId", shop, "targetCell", to));
            PrintWriter out = spec.commandLine().getOut();
            if (!noWait) {
                move = follow(client, move.path("moveId").asText(), json ? null : out);
            }
            if (json) {
                Output.json(out, move);
            }
            return move.path("phase").asText().equals("ABORTED") ? CliFailure.CONFLICT : 0;
        }
    }

    /** Polls the move until it ends; with {@code out}, a progress line redrawn in place (a new line per report when not a terminal). */
    static JsonNode follow(ControlPlaneClient client, String moveId, PrintWriter out) throws InterruptedException {
        MoveProgress progress = new MoveProgress();
        boolean terminal = System.console() != null;
        String last = "";
        while (true) {
            JsonNode move = client.get("/v1/moves/" + moveId);
            if (out != null) {
                String line = progress.line(move, System.nanoTime());
                if (terminal) {
                    out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
                } else if (!line.equals(last)) {
                    out.println(line);
                }
                out.flush();
                last = line;
            }
            if (ENDED.contains(move.path("phase").asText())) {
                if (out != null && terminal) {
                    out.println();
                }
                return move;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * The line a command running many moves prints as each ends, {@code [k/n] shop S -> CELL: PHASE},
     * with the cutover's pause or the abort reason.
     */
    static String endedLine(int k, int n, JsonNode move) {
        String pause = move.path("cutover").has("pauseMillis") ? " (pause " + move.path("cutover").path("pauseMillis").asLong() + " ms)" : "";
        String reason = move.hasNonNull("abortReason") ? ": " + move.get("abortReason").asText() : "";
        return String.format("[%d/%d] shop %s -> %s: %s%s%s", k, n, Output.text(move, "shopId"), Output.text(move, "targetCell"),
                Output.text(move, "phase"), pause, reason);
    }

    @Command(name = "list", description = "every move, newest first")
    static final class ListMoves implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--json", description = "machine-readable output") boolean json;

        @Override
        public Integer call() {
            JsonNode moves = ControlPlaneClient.fromEnvironment(System.getenv()).get("/v1/moves");
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Output.json(out, moves);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode m : moves) {
                rows.add(List.of(Output.text(m, "moveId"), Output.text(m, "shopId"), Output.text(m, "sourceCell"),
                        Output.text(m, "targetCell"), Output.text(m, "phase"), Output.text(m, "createdAt")));
            }
            Output.table(out, List.of("MOVE", "SHOP", "FROM", "TO", "PHASE", "STARTED"), rows);
            return 0;
        }
    }

    @Command(name = "show", description = "one move: phase, progress, cutover pause, abort reason")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "MOVE", description = "the move id") String move;
        @Option(names = "--json", description = "machine-readable output") boolean json;

        @Override
        public Integer call() {
            JsonNode view = ControlPlaneClient.fromEnvironment(System.getenv()).get("/v1/moves/" + move);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Output.json(out, view);
            } else {
                out.println(Output.text(view, "moveId") + ": shop " + Output.text(view, "shopId") + " from "
                        + Output.text(view, "sourceCell") + " to " + Output.text(view, "targetCell"));
                out.println(new MoveProgress().line(view, System.nanoTime()));
            }
            return 0;
        }
    }

    @Command(name = "abort", description = "stop a move before its cutover; the target's partial copy is removed")
    static final class Abort implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "MOVE", description = "the move id") String move;
        @Option(names = "--json", description = "machine-readable output") boolean json;

        @Override
        public Integer call() {
            JsonNode view = ControlPlaneClient.fromEnvironment(System.getenv()).post("/v1/moves/" + move + "/abort", Map.of());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Output.json(out, view);
            } else {
                out.println("move " + move + " aborted: " + Output.text(view, "abortReason"));
            }
            return 0;
        }
    }
}
