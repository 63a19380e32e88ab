package dev.cellshop.control.mover.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import java.net.http.HttpResponse;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The failed requests of a bench, counted by what failed and why: the request's kind, the
 * HTTP status and the problem+json {@code title}: {@code detail} (digits folded to {@code #},
 * so ids do not split one cause into thousands), or the transport error's class and message
 * when no answer came. A failure count without its causes cannot tell a sold-out shop from a
 * router that dropped a request during a cutover.
 */
final class FailureTally {

    private static final int MAX_CAUSE = 160;

    private record Count(LongAdder all, LongAdder duringCutover) {
    }

    private final Map<String, Count> counts = new ConcurrentHashMap<>();

    /** What a failed answer says: its status and problem. */
    static String cause(HttpResponse<String> response) {
        return cause(response.statusCode(), response.body());
    }

    static String cause(int status, String body) {
        return status + " " + problem(body);
    }

    /** What a request that got no answer met: the innermost exception. */
    static String cause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "transport " + root.getClass().getSimpleName() + ": " + fold(String.valueOf(root.getMessage()));
    }

    void count(String request, String cause, boolean duringCutover) {
        Count count = counts.computeIfAbsent(request + " " + cause, c -> new Count(new LongAdder(), new LongAdder()));
        count.all().increment();
        if (duringCutover) {
            count.duringCutover().increment();
        }
    }

    long total() {
        return counts.values().stream().mapToLong(c -> c.all().sum()).sum();
    }

    /** {@code failure=<count> (<n> during a cutover) <request> <status> <cause>} lines, the most frequent first. */
    List<String> lines() {
        return counts.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Count> e) -> -e.getValue().all().sum()).thenComparing(Map.Entry::getKey))
                .map(e -> String.format(Locale.ROOT, "failure=%d (%d during a cutover) %s", e.getValue().all().sum(),
                        e.getValue().duringCutover().sum(), e.getKey()))
                .toList();
    }

    private static String problem(String body) {
        try {
            JsonNode problem = Json.read(body, JsonNode.class);
            return fold(problem.path("title").asText("?") + ": " + problem.path("detail").asText(""));
        } catch (RuntimeException notJson) {
            return "(not problem+json) " + fold(body);
        }
    }

    private static String fold(String text) {
        String folded = text.replaceAll("[0-9]+", "#").replaceAll("\\s+", " ").strip();
        return folded.length() > MAX_CAUSE ? folded.substring(0, MAX_CAUSE) + "…" : folded;
    }
}
