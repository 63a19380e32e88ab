package dev.cellshop.chaos.workload;

/**
 * What a client knows after an operation: it happened (a 2xx), it did not (a 4xx the server
 * answers before doing anything), or it cannot tell (no answer, a timeout, a 5xx: the request
 * may have been carried out before the answer was lost). Only {@code ACKNOWLEDGED} operations
 * are promised anything; an {@code UNKNOWN} one may or may not be in the final state.
 */
public enum Outcome {
    ACKNOWLEDGED, REJECTED, UNKNOWN
}
