/**
 * The outbox relay: events written to a cell's {@code outbox} table in the same transaction
 * as the order are published to Kafka at least once, then deleted.
 *
 * <p>Invariants, and why they hold:
 * <ul>
 *   <li>No event is lost: a row is deleted in the transaction that claimed it, and that
 *       transaction commits only after Kafka acknowledged every event of the batch
 *       ({@code acks=all}, idempotent producer). Any failure rolls it back; the rows stay.</li>
 *   <li>Duplicates happen only by event id: a batch that failed half-way, or a relay that died
 *       after Kafka's ack and before its commit, publishes the same rows again, with the same
 *       {@code event-id} header. Consumers drop repeats by that id.</li>
 *   <li>One relay per cell publishes at a time: every instance runs one, and a batch is
 *       published only under the cell's named lock ({@code GET_LOCK}, not waited for: a relay
 *       that finds it taken tries again at its next poll). So an order's events reach Kafka
 *       in the order they were written; two relays side by side could send an order's "paid"
 *       while the other still held its "created" (seen by ops/chaos). The lock is the
 *       session's, so a relay that dies gives it up with its connection.</li>
 *   <li>Checkouts never wait for a relay: its transaction runs at READ COMMITTED, where InnoDB
 *       takes no gap locks, so inserting new outbox rows does not conflict with a claim, even
 *       while Kafka is down and a batch waits for its delivery timeout.</li>
 * </ul>
 * Order per order is kept: one batch at a time per cell, and the idempotent producer keeps a
 * partition's order. A retried batch repeats events already sent, in the same order, so the
 * first occurrence of each event id is still in order; consumers keep the first one.
 */
package dev.cellshop.cell.outbox;
