package dev.cellshop.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "topology", description = "cells, their states, shops per cell and headroom")
final class TopologyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--json", description = "machine-readable output") boolean json;

    @Override
    public Integer call() {
        JsonNode topology = ControlPlaneClient.fromEnvironment(System.getenv()).get("/v1/topology");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Output.json(out, topology);
        } else {
            CellCommand.table(out, topology.path("cells"));
            out.println(Output.text(topology, "shops") + " shops on " + topology.path("cells").size() + " cells");
        }
        return 0;
    }
}
