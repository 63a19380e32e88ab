package dev.cellshop.kernel.id;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Globally unique, time-ordered 64-bit ids (Snowflake layout):
 * <pre>
 * | 0 | 41 bits: ms since 2025-01-01T00:00:00Z | 10 bits: worker id | 12 bits: sequence |
 * </pre>
 * Uniqueness across processes comes from the worker id, leased from ZooKeeper so no two
 * live processes hold the same one; that is why rows of a shop never collide with rows
 * already in the cell it moves to. 41 bits of milliseconds last until 2094.
 *
 * <p>Within one generator ids strictly increase, whatever the wall clock does. The
 * timestamp part is a logical clock, {@code max(now, last)}: if the clock steps back
 * (NTP, a VM migration) ids keep coming from the last timestamp instead of failing or
 * waiting, and if a millisecond's 4096 sequence numbers are used up the timestamp moves
 * to {@code last + 1} instead of spinning until the clock catches up. The price is that
 * an id's timestamp may run slightly ahead of the wall clock; it is a hint, not a fact.
 */
public final class IdGenerator {

    public static final long EPOCH_MILLIS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    public static final int MAX_WORKER_ID = 1023;

    private static final int SEQUENCE_BITS = 12;
    private static final int WORKER_BITS = 10;
    private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
    private static final long MAX_TIMESTAMP = (1L << 41) - 1;

    private final long workerBits;
    private final LongSupplier clockMillis;
    /** {@code lastTimestamp << 12 | lastSequence}, advanced by CAS so nextId never blocks. */
    private final AtomicLong last = new AtomicLong();
    /** The highest clock reading seen, to tell a real regression from our logical lead. */
    private final AtomicLong highestClock = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder clockRegressions = new LongAdder();

    public IdGenerator(int workerId, LongSupplier clockMillis) {
        if (workerId < 0 || workerId > MAX_WORKER_ID) {
            throw new IllegalArgumentException("Invalid worker id " + workerId + ": must be 0.." + MAX_WORKER_ID);
        }
        this.workerBits = (long) workerId << SEQUENCE_BITS;
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    }

    public IdGenerator(int workerId) {
        this(workerId, System::currentTimeMillis);
    }

    public long nextId() {
        // Read the highest reading before the clock: a reading below it is then a genuine
        // step back, not a race with a thread that read the clock a moment later.
        long highest = highestClock.get();
        long now = clockMillis.getAsLong() - EPOCH_MILLIS;
        if (now < highest) {
            clockRegressions.increment();
        } else if (now > highest) {
            highestClock.accumulateAndGet(now, Math::max);
        }
        while (true) {
            long previous = last.get();
            long lastTimestamp = previous >>> SEQUENCE_BITS;
            long next;
            if (now > lastTimestamp) {
                next = now << SEQUENCE_BITS;
            } else if ((previous & SEQUENCE_MASK) < SEQUENCE_MASK) {
                next = previous + 1;
            } else {
                next = (lastTimestamp + 1) << SEQUENCE_BITS;
            }
            if ((next >>> SEQUENCE_BITS) > MAX_TIMESTAMP) {
                throw new IllegalStateException("Id timestamp space exhausted: the clock is past 2094 or wrong");
            }
            if (last.compareAndSet(previous, next)) {
                long timestamp = next >>> SEQUENCE_BITS;
                return timestamp << (WORKER_BITS + SEQUENCE_BITS) | workerBits | (next & SEQUENCE_MASK);
            }
        }
    }

    /** How many calls read a clock behind an earlier reading; non-zero means the host clock steps back. */
    public long clockRegressions() {
        return clockRegressions.sum();
    }

    public int workerId() {
        return (int) (workerBits >>> SEQUENCE_BITS);
    }

    /** The (logical) creation time of {@code id}, in Unix milliseconds. */
    public static long timestampMillis(long id) {
        return (id >>> (WORKER_BITS + SEQUENCE_BITS)) + EPOCH_MILLIS;
    }

    public static int workerId(long id) {
        return (int) ((id >>> SEQUENCE_BITS) & MAX_WORKER_ID);
    }

    public static int sequence(long id) {
        return (int) (id & SEQUENCE_MASK);
    }
}
