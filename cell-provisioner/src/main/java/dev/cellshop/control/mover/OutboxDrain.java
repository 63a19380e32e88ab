package dev.cellshop.control.mover;

import dev.cellshop.kernel.id.ShopId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Waits, during a cutover, until the source cell's outbox relay has published every event of
 * the moving shop (the relay deletes a row once Kafka has it). The shop is FROZEN, so no new
 * events come; once the count is 0 the target starts with an empty outbox for the shop, and
 * no event is published by both cells or by neither. Bounded: a relay that is stuck (Kafka
 * down) fails the cutover with the count still waiting, and the move aborts back to the source.
 */
public final class OutboxDrain {

    private static final String PENDING = "SELECT COUNT(*) FROM outbox WHERE shop_id = ?";

    private final Duration limit;
    private final Duration poll;
    private final LongSupplier clock;

    public OutboxDrain(Duration limit, Duration poll) {
        this(limit, poll, System::nanoTime);
    }

    OutboxDrain(Duration limit, Duration poll, LongSupplier clock) {
        this.limit = limit;
        this.poll = poll;
        this.clock = clock;
    }

    /** Returns how long it waited; throws when events are still pending after the limit. */
    public Duration await(ShopId shop, Connection source) throws SQLException {
        long start = clock.getAsLong();
        long deadline = start + limit.toNanos();
        try (PreparedStatement pending = source.prepareStatement(PENDING)) {
            pending.setLong(1, shop.value());
            while (true) {
                long count = count(pending);
                long now = clock.getAsLong();
                if (count == 0) {
                    return Duration.ofNanos(now - start);
                }
                if (now - deadline >= 0) {
                    throw new IllegalStateException("the source cell's outbox still holds " + count + " unpublished event(s) of shop "
                            + shop + " after " + limit.toMillis() + " ms: is its relay (or Kafka) down?");
                }
                pause();
            }
        }
    }

    private static long count(PreparedStatement pending) throws SQLException {
        try (ResultSet rs = pending.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void pause() {
        try {
            Thread.sleep(poll); // the mover's own thread: waiting is its job here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the outbox to drain", e);
        }
    }
}
