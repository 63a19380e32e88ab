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
 *   <li>Several relays per cell share the table: each claims its batch with
 *       {@code FOR UPDATE SKIP LOCKED}, so they never wait for each other nor claim the same row.</li>
 *   <li>Checkouts never wait for a relay: its transaction runs at READ COMMITTED, where InnoDB
 *       takes no gap locks, so inserting new outbox rows does not conflict with a claim, even
 *       while Kafka is down and a batch waits for its delivery timeout.</li>
 * </ul>
 * Order per shop is kept within one relay (one batch at a time, the idempotent producer keeps
 * a partition's order); with several relays, or after a retry, consumers may see events out
 * of order.
 */
package dev.cellshop.cell.outbox;
