package dev.cellshop.control.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line about a move for a person: phase, rows copied of the estimated total as a bar,
 * the copy rate and time left (from two successive reports), binlog transactions applied,
 * and the cutover's pause once there is one.
 */
final class MoveProgress {

    private static final int BAR = 24;

    private long lastRows = -1;
    private long lastNanos;
    private double rowsPerSecond;

    String line(JsonNode move, long nowNanos) {
        long copied = 0;
        long total = 0;
        for (JsonNode table : move.path("tables")) {
            copied += table.path("copied").asLong();
            total += Math.max(table.path("estimated").asLong(), table.path("copied").asLong());
        }
        if (lastRows >= 0 && nowNanos > lastNanos) {
            double rate = (copied - lastRows) * 1e9 / (nowNanos - lastNanos);
            rowsPerSecond = rowsPerSecond == 0 ? rate : 0.7 * rowsPerSecond + 0.3 * rate; // smoothed: reports come unevenly
        }
        lastRows = copied;
        lastNanos = nowNanos;
        String phase = move.path("phase").asText();
        double done = total == 0 ? (phase.equals("COPYING") ? 0 : 1) : Math.min(1.0, (double) copied / total);
        int filled = (int) Math.round(done * BAR);
        StringBuilder line = new StringBuilder().append(String.format("%-12s [", phase))
                .append("#".repeat(filled)).append(".".repeat(BAR - filled))
                .append(String.format("] %3.0f%% %,d/%,d rows", done * 100, copied, total));
        if (phase.equals("COPYING") && rowsPerSecond > 0) {
            line.append(String.format(", %,.0f rows/s, ETA %s", rowsPerSecond, eta((total - copied) / rowsPerSecond)));
        }
        line.append(String.format(", %,d txns applied", move.path("appliedTransactions").asLong()));
        JsonNode cutover = move.path("cutover");
        if (cutover.path("pauseMillis").asLong() > 0) {
            line.append(String.format(", pause %d ms", cutover.path("pauseMillis").asLong()));
        }
        if (!move.path("abortReason").isMissingNode() && !move.path("abortReason").isNull()) {
            line.append(": ").append(move.path("abortReason").asText());
        }
        return line.toString();
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
