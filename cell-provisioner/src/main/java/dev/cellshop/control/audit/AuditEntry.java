package dev.cellshop.control.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One control-plane change: who made it, what it was, when, and the state of its subject
 * before and after (JSON, null when the subject did not exist before or no longer exists).
 *
 * @param at      when, ISO-8601 UTC
 * @param id      the audit node's sequence (set when read back; null when being written)
 * @param action  e.g. {@code shop.create}, {@code cell.register}
 * @param subject e.g. {@code shop/123}, {@code cell/cell-a}
 */
public record AuditEntry(String id, String at, String actor, String action, String subject, JsonNode before, JsonNode after) {

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
    }

    public static AuditEntry of(String actor, String action, String subject, JsonNode before, JsonNode after) {
        return new AuditEntry(null, Instant.now().toString(), actor, action, subject, before, after);
    }

    public AuditEntry withId(String newId) {
        return new AuditEntry(newId, at, actor, action, subject, before, after);
    }
}
