package dev.cellshop.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "audit", description = "the latest control-plane changes: who, what, when (--json: with before/after)")
final class AuditCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--limit", defaultValue = "50", description = "how many of the newest entries (default 50)") int limit;
    @Option(names = "--json", description = "machine-readable output, with each change's before and after") boolean json;

    @Override
    public Integer call() {
        JsonNode entries = ControlPlaneClient.fromEnvironment(System.getenv()).get("/v1/audit?limit=" + limit);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Output.json(out, entries);
        } else {
            List<List<String>> rows = new ArrayList<>();
            entries.forEach(e -> rows.add(List.of(Output.text(e, "at"), Output.text(e, "actor"), Output.text(e, "action"),
                    Output.text(e, "subject"))));
            Output.table(out, List.of("AT", "ACTOR", "ACTION", "SUBJECT"), rows);
        }
        return 0;
    }
}
