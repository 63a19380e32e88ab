package dev.cellshop.cell.bench;

import dev.cellshop.kernel.json.Json;
import dev.cellshop.testkit.PlatformEndpoints;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The {@code key=value} arguments of a bench mode, and the files they name (the platform's endpoints, the bench's properties). */
final class BenchOptions {

    private final Map<String, String> values;

    private BenchOptions(Map<String, String> values) {
        this.values = values;
    }

    static BenchOptions parse(String[] args, int from) {
        Map<String, String> values = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, not " + args[i]);
            }
            values.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return new BenchOptions(values);
    }

    String need(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing " + key + "=...");
        }
        return v;
    }

    String get(String key) {
        return values.get(key);
    }

    String get(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    int intValue(String key, int dflt) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : dflt;
    }

    /** The properties file that {@code setup} wrote ({@code props=FILE}). */
    Properties props() throws Exception {
        Properties p = new Properties();
        try (InputStream in = new FileInputStream(need("props"))) {
            p.load(in);
        }
        return p;
    }

    static PlatformEndpoints platform(String stateDir) throws Exception {
        return Json.mapper().readValue(Path.of(stateDir, "platform.json").toFile(), PlatformEndpoints.class);
    }
}
