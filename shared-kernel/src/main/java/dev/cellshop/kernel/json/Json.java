package dev.cellshop.kernel.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The one JSON configuration of cellshop, so the router, the cells and the control plane
 * read each other's ZooKeeper nodes and HTTP bodies the same way.
 *
 * <p>Unknown properties are ignored because a newer process may add fields that an older
 * one, still running during a rolling upgrade, must tolerate. Nulls are never written, so
 * "absent" has a single spelling on the wire.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // an explicit null for a long or int is a broken document, not a zero
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // 19.99 sent for an amount in cents must fail, not be truncated to 19
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {
    }

    /** The shared mapper. It is configured once here; callers must not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Cannot write " + typeName(value) + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** UTF-8 bytes, the form stored in ZooKeeper nodes. */
    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    public static <T> T read(String json, Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("Cannot read " + type.getSimpleName() + " from empty JSON");
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new IllegalArgumentException("Cannot read " + type.getSimpleName() + " from JSON null");
            }
            return value;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Invalid JSON for " + type.getSimpleName() + ": " + reason(e), e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) {
        return read(json == null ? null : new String(json, StandardCharsets.UTF_8), type);
    }

    /** The validation message of our own constructors, rather than Jackson's wrapper text. */
    private static String reason(JacksonException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RuntimeException && cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        return e.getOriginalMessage();
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
