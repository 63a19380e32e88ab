package dev.cellshop.cell.bench;

import java.util.Locale;

/** What a mode prints: {@code key=value} figures on stdout for the script, progress on stderr for the operator. */
final class Results {

    private Results() {
    }

    static void out(String key, Object value) {
        System.out.println(key + "=" + value);
    }

    static void log(String msg) {
        System.err.println("[bench] " + msg);
    }

    /** The figures of one timed phase: count, errors, rate and latency percentiles. */
    static void report(String prefix, Latencies lat, long ok, double seconds, long errors) {
        double[] p = lat.percentilesMs(50, 90, 99, 99.9, 100);
        out(prefix + ".count", ok);
        out(prefix + ".errors", errors);
        out(prefix + ".seconds", String.format(Locale.ROOT, "%.1f", seconds));
        out(prefix + ".rate", String.format(Locale.ROOT, "%.0f", ok / seconds));
        out(prefix + ".p50_ms", String.format(Locale.ROOT, "%.2f", p[0]));
        out(prefix + ".p90_ms", String.format(Locale.ROOT, "%.2f", p[1]));
        out(prefix + ".p99_ms", String.format(Locale.ROOT, "%.2f", p[2]));
        out(prefix + ".p999_ms", String.format(Locale.ROOT, "%.2f", p[3]));
        out(prefix + ".max_ms", String.format(Locale.ROOT, "%.2f", p[4]));
    }
}
