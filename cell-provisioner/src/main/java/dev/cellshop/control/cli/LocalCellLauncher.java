package dev.cellshop.control.cli;

import dev.cellshop.control.cells.LocalCells;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code cell create NAME} of a local cell: the ops launcher ({@code ops/cellshop cell-up NAME},
 * path in {@code CELLSHOP_LAUNCHER}, which ops/cellshop sets) starts the cell's MariaDB, Redis,
 * Memcached and runtimes and writes their endpoints into platform.json, which gives the
 * endpoints the control plane is then asked to certify.
 *
 * <p>The CLI, not the control plane, runs the launcher: processes belong to the machine's
 * supervisor (pid files, {@code status}, {@code down}), not to a server that may run elsewhere,
 * be restarted, or take its children down with it.
 */
final class LocalCellLauncher {

    private final String launcher;
    private final Path stateDir;

    private LocalCellLauncher(String launcher, Path stateDir) {
        this.launcher = launcher;
        this.stateDir = stateDir;
    }

    static LocalCellLauncher fromEnvironment(Map<String, String> env) {
        String launcher = env.get("CELLSHOP_LAUNCHER");
        if (launcher == null || launcher.isBlank()) {
            throw new CliFailure(CliFailure.USAGE, "a new local cell is started by the launcher: run 'ops/cellshop cell create"
                    + " NAME' (or give --mysql, --redis and --memcached of an existing cell)");
        }
        return new LocalCellLauncher(launcher, Path.of(env.getOrDefault("CELLSHOP_STATE_DIR", ".cellshop")));
    }

    /** Starts the cell (its output goes to {@code progress}); its endpoints as the API's fields. */
    Map<String, Object> start(String cell, PrintWriter progress) {
        ProcessBuilder builder = new ProcessBuilder(launcher, "cell-up", cell).redirectErrorStream(true);
        int exit;
        try {
            Process process = builder.start();
            try (InputStream out = process.getInputStream()) {
                progress.print(new String(out.readAllBytes(), StandardCharsets.UTF_8));
                progress.flush();
            }
            exit = process.waitFor();
        } catch (IOException e) {
            throw new CliFailure(CliFailure.USAGE, "cannot run the launcher " + launcher + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.OTHER, "interrupted while starting cell " + cell);
        }
        if (exit != 0) {
            throw new CliFailure(CliFailure.UNAVAILABLE, "starting cell " + cell + " failed ('" + launcher + " cell-up " + cell
                    + "' exited " + exit + "; its output is above)");
        }
        try {
            LocalCells.LocalCell started = LocalCells.read(stateDir.resolve("platform.json")).stream()
                    .filter(c -> c.cellId().toString().equals(cell)).findFirst()
                    .orElseThrow(() -> new CliFailure(CliFailure.OTHER, "cell " + cell + " is missing from "
                            + stateDir.resolve("platform.json") + " after cell-up"));
            Map<String, Object> endpoints = new LinkedHashMap<>();
            endpoints.put("mysql", started.endpoints().mysql());
            endpoints.put("redis", started.endpoints().redis());
            endpoints.put("memcached", started.endpoints().memcached());
            return endpoints;
        } catch (IOException e) {
            throw new CliFailure(CliFailure.OTHER, "cannot read the platform's endpoints: " + e.getMessage());
        }
    }
}
