package dev.cellshop.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One HTTP exchange as the history keeps it: status (0 when no answer came), the body as
 * JSON (null when none or not JSON), the cell that answered ({@code X-Cellshop-Cell}), whether
 * the answer replays an earlier one ({@code Idempotent-Replayed}), and when it was sent and
 * answered (epoch millis, this machine's clock: the same clock as the platform's audit log).
 */
public record Reply(int status, JsonNode body, String cell, boolean replayed, long sentAt, long answeredAt, String error) {

    public Outcome outcome() {
        if (status >= 200 && status < 300) {
            return Outcome.ACKNOWLEDGED;
        }
        // 408 and 429 were refused before any work; every 5xx (a cell's or the router's) and no answer may hide a commit.
        if (status == 0 || status >= 500) {
            return Outcome.UNKNOWN;
        }
        return Outcome.REJECTED;
    }

    /** Worth sending again (with the same Idempotency-Key where there is one). */
    public boolean retryable() {
        return status == 0 || status >= 500 || status == 408 || status == 429;
    }

    public String describe() {
        return status == 0 ? "no answer (" + error + ")" : status + (body != null && body.has("detail") ? " " + body.get("detail").asText() : "");
    }
}
