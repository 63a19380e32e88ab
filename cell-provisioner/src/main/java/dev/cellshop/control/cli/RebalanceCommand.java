package dev.cellshop.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cellshop.kernel.json.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rebalance}: the plan that levels the ACTIVE cells as a table, then its moves followed as they end. */
@Command(name = "rebalance", description = "level the shops across the ACTIVE cells: plan the fewest moves that bring every cell"
        + " within the tolerance of the level, print the plan, then run its moves a few at a time and follow them")
final class RebalanceCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Option(names = "--dry-run", description = "only print the plan; nothing moves") boolean dryRun;
    @Option(names = "--max-moves", paramLabel = "N", description = "plan at most N moves (default: the control plane's"
            + " rebalance.max-moves)") Integer maxMoves;
    @Option(names = "--json", description = "machine-readable output: the plan (dry run) or the run once every move ended") boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dryRun", dryRun);
        if (maxMoves != null) {
            body.put("maxMoves", maxMoves);
        }
        ControlPlaneClient client = ControlPlaneClient.fromEnvironment(System.getenv());
        JsonNode plan = client.post("/v1/rebalance", body);
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            print(out, plan);
        }
        if (dryRun) {
            if (json) {
                Output.json(out, plan);
            }
            return 0;
        }
        JsonNode moves = plan.path("moves");
        int notCompleted = 0;
        for (int k = 0; k < moves.size(); k++) {
            JsonNode done = follow(client, plan.path("rebalanceId").asText(), k);
            if (!done.path("phase").asText().equals("COMPLETED")) {
                notCompleted++;
            }
            if (!json) {
                out.println(MoveCommand.endedLine(k + 1, moves.size(), done));
                out.flush();
            }
        }
        if (json) {
            Output.json(out, client.get("/v1/rebalance"));
        }
        return notCompleted == 0 ? 0 : CliFailure.CONFLICT;
    }

    /** The k-th move of the run once it ended: its move record, or what the run says when it could not start it. */
    private static JsonNode follow(ControlPlaneClient client, String rebalanceId, int k) throws InterruptedException {
        while (true) {
            JsonNode run = client.get("/v1/rebalance");
            if (!run.path("rebalanceId").asText().equals(rebalanceId)) {
                throw new CliFailure(CliFailure.CONFLICT, "rebalance " + rebalanceId + " is no longer the control plane's"
                        + " (it restarted?): see 'move list'");
            }
            JsonNode move = run.path("moves").path(k);
            if (move.hasNonNull("moveId")) {
                return MoveCommand.follow(client, move.get("moveId").asText(), null);
            }
            if (move.hasNonNull("detail")) {
                ObjectNode refused = Json.mapper().createObjectNode();
                refused.put("shopId", move.path("shopId").asText()).put("targetCell", move.path("to").asText())
                        .put("phase", "NOT STARTED")
                        .put("abortReason", move.get("detail").asText().replaceFirst("^not started: ", ""));
                return refused;
            }
            Thread.sleep(MoveCommand.POLL_MILLIS); // an earlier move still holds its slot
        }
    }

    static void print(PrintWriter out, JsonNode plan) {
        List<List<String>> cells = new ArrayList<>();
        for (JsonNode c : plan.path("cells")) {
            cells.add(List.of(Output.text(c, "cellId"), Output.text(c, "maxShops"), Output.text(c, "shopsBefore") + " -> "
                    + Output.text(c, "shopsAfter"), Output.percent(c, "utilisationBefore") + " -> " + Output.percent(c, "utilisationAfter"),
                    c.path("levelAfter").asBoolean() ? "yes" : "no"));
        }
        Output.table(out, List.of("CELL", "MAX", "SHOPS", "UTILISATION", "LEVEL"), cells);
        out.println(String.format(Locale.ROOT, "level %s (all shops over all capacity of the ACTIVE cells), tolerance %s or one shop",
                Output.percent(plan, "level"), Output.percent(plan, "tolerance")));
        JsonNode moves = plan.path("moves");
        if (moves.isEmpty()) {
            out.println(plan.path("balanced").asBoolean() ? "already level: nothing to move" : "no move helps: the cells below the"
                    + " level are full or the cells above it have no shop that may move");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        int n = 0;
        for (JsonNode m : moves) {
            rows.add(List.of(Integer.toString(++n), Output.text(m, "shopId"), Output.text(m, "from"), Output.text(m, "to")));
        }
        Output.table(out, List.of("#", "SHOP", "FROM", "TO"), rows);
        out.println(moves.size() + " move(s) planned" + (plan.path("capped").asBoolean()
                ? ", capped at " + plan.path("maxMoves").asInt() + ": a later rebalance continues" : "")
                + (plan.path("dryRun").asBoolean() ? " (dry run: nothing moves)" : ""));
        out.flush();
    }
}
