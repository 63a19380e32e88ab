package dev.cellshop.router.breaker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The circuit breaker of one cell. CLOSED counts consecutive transport failures (refused,
 * reset, timed out) and opens at the threshold; OPEN fails every request fast until its
 * time is up; then one request goes through as a probe (HALF_OPEN): success closes the
 * breaker, failure opens it again for another period. Lock-free; any event loop may call.
 *
 * <p>Only transport failures count. A cell that answers, even with a 5xx, is up: its 503
 * for a cart while its Redis is down must not also take its product reads away.
 */
public final class CellBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private record Status(State state, long openUntilNanos) {
    }

    private static final Status CLOSED = new Status(State.CLOSED, 0);

    private final int failureThreshold;
    private final long openNanos;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicReference<Status> status = new AtomicReference<>(CLOSED);

    public CellBreaker(int failureThreshold, long openNanos) {
        if (failureThreshold < 1 || openNanos <= 0) {
            throw new IllegalArgumentException("breaker needs threshold >= 1 and a positive open time");
        }
        this.failureThreshold = failureThreshold;
        this.openNanos = openNanos;
    }

    /** Whether a request may go to the cell now; in HALF_OPEN only the one probe may. */
    public boolean tryAcquire(long nowNanos) {
        Status s = status.get();
        return switch (s.state) {
            case CLOSED -> true;
            case HALF_OPEN -> false;
            case OPEN -> nowNanos - s.openUntilNanos >= 0 && status.compareAndSet(s, new Status(State.HALF_OPEN, 0));
        };
    }

    public void onSuccess() {
        consecutiveFailures.set(0);
        if (status.get() != CLOSED) {
            status.set(CLOSED);
        }
    }

    public void onFailure(long nowNanos) {
        Status s = status.get();
        if (s.state == State.HALF_OPEN || consecutiveFailures.incrementAndGet() >= failureThreshold) {
            if (status.compareAndSet(s, new Status(State.OPEN, nowNanos + openNanos))) {
                consecutiveFailures.set(0);
            }
        }
    }

    public State state() {
        return status.get().state;
    }

    /** Seconds until an open breaker lets a probe through (at least 1), for Retry-After. */
    public long retryAfterSeconds(long nowNanos) {
        Status s = status.get();
        long remaining = s.state == State.OPEN ? s.openUntilNanos - nowNanos : 0;
        return Math.max(1, (remaining + 999_999_999L) / 1_000_000_000L);
    }
}
