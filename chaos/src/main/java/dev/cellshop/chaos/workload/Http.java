package dev.cellshop.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The run's HTTP client: every exchange becomes a {@link Reply}, never an exception, because
 * under faults a lost answer is an ordinary outcome (UNKNOWN) the history must record. The
 * timeout is bounded (a SIGSTOPped MariaDB must not hold a worker for ever), and
 * longer than the router's hold of a frozen shop (hold.timeout 10 s) plus a cell's answer (upstream.response-timeout 10 s), so a cutover is waited for, not counted as lost.
 */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(25);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;
    private final Map<String, String> headers;

    /** {@code base} e.g. {@code http://127.0.0.1:26080}; {@code headers} sent with every request (a bearer token). */
    public Http(String base, Map<String, String> headers) {
        this.base = base;
        this.headers = Map.copyOf(headers);
    }

    public Reply get(String path, Map<String, String> extra) {
        return send("GET", path, null, extra);
    }

    public Reply post(String path, Object body, Map<String, String> extra) {
        return send("POST", path, body, extra);
    }

    public Reply patch(String path, Object body, Map<String, String> extra) {
        return send("PATCH", path, body, extra);
    }

    public Reply send(String method, String path, Object body, Map<String, String> extra) {
        long sent = System.currentTimeMillis();
        try {
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                    .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
            if (text != null) {
                request.header("Content-Type", "application/json");
            }
            headers.forEach(request::header);
            extra.forEach(request::header);
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), parse(response.body()), response.headers().firstValue("X-Cellshop-Cell").orElse(null),
                    response.headers().firstValue("Idempotent-Replayed").map(Boolean::parseBoolean).orElse(false),
                    sent, System.currentTimeMillis(), null);
        } catch (IOException e) {
            return new Reply(0, null, null, false, sent, System.currentTimeMillis(), e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(0, null, null, false, sent, System.currentTimeMillis(), "interrupted");
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }
}
