package dev.cellshop.cell.outbox;

/** One row of the outbox: an event not yet published. */
record OutboxEvent(long shopId, long id, String type, String payload) {
}
