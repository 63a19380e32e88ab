package dev.cellshop.kernel.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.cellshop.kernel.json.Json;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An error as RFC 9457 problem details, the one error body of every cellshop API.
 *
 * <p>Our own problem types are {@code https://cellshop.dev/problems/<slug>} rather than
 * {@code about:blank}, so a client can branch on {@code type} without parsing prose.
 * Extensions (e.g. {@code retryAfterSeconds}, {@code cell}) are written as top-level
 * members, as the RFC prescribes.
 */
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
public record Problem(URI type, String title, int status, String detail, String instance,
                      @JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://cellshop.dev/problems/";

    private static final Set<String> STANDARD_MEMBERS = Set.of("type", "title", "status", "detail", "instance");

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("Problem status must be an HTTP error status 400..599, got " + status);
        }
        extensions = extensions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        extensions.forEach(Problem::checkExtension);
    }

    public static Problem of(int status, String detail) {
        return new Problem(URI.create(TYPE_BASE + HttpStatusText.slug(status)), HttpStatusText.phrase(status),
                status, detail, null, Map.of());
    }

    public static Problem badRequest(String detail) { return of(400, detail); }

    public static Problem unauthorized(String detail) { return of(401, detail); }

    public static Problem forbidden(String detail) { return of(403, detail); }

    public static Problem notFound(String detail) { return of(404, detail); }

    public static Problem conflict(String detail) { return of(409, detail); }

    public static Problem payloadTooLarge(String detail) { return of(413, detail); }

    /** The request reached a cell that does not (or no longer) serve the shop: retry via the router. */
    public static Problem misdirected(String detail) { return of(421, detail); }

    public static Problem unprocessable(String detail) { return of(422, detail); }

    public static Problem tooManyRequests(String detail) { return of(429, detail); }

    public static Problem internalError(String detail) { return of(500, detail); }

    public static Problem serviceUnavailable(String detail) { return of(503, detail); }

    public Problem withExtension(String key, Object value) {
        checkExtension(key, value);
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(key, value);
        return new Problem(type, title, status, detail, instance, more);
    }

    public Problem withInstance(String newInstance) {
        return new Problem(type, title, status, detail, newInstance, extensions);
    }

    @JsonAnyGetter
    Map<String, Object> jsonExtensions() {
        return extensions;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Problem fromJson(Map<String, Object> members) {
        Map<String, Object> extensions = new LinkedHashMap<>(members);
        extensions.keySet().removeAll(STANDARD_MEMBERS);
        extensions.values().removeIf(Objects::isNull);
        Object type = members.get("type");
        Object status = members.get("status");
        if (!(status instanceof Integer code)) {
            throw new IllegalArgumentException("Problem needs an integer status, got " + status);
        }
        return new Problem(URI.create(type == null ? "about:blank" : type.toString()),
                text(members.get("title"), HttpStatusText.phrase(code)), code,
                text(members.get("detail"), null), text(members.get("instance"), null), extensions);
    }

    public String toJson() {
        return Json.write(this);
    }

    private static String text(Object value, String fallback) {
        return value == null ? fallback : value.toString();
    }

    private static void checkExtension(String key, Object value) {
        if (key == null || key.isEmpty() || STANDARD_MEMBERS.contains(key)) {
            throw new IllegalArgumentException("Invalid problem extension name '" + key + "': must be non-empty and not one of " + STANDARD_MEMBERS);
        }
        if (value == null) {
            throw new IllegalArgumentException("Problem extension '" + key + "' has no value");
        }
    }
}
