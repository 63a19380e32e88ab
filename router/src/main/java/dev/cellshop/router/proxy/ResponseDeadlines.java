package dev.cellshop.router.proxy;

import io.vertx.core.Vertx;

/**
 * The exchanges of one event loop that wait on a cell, with the time by which the cell must
 * have sent something (headers or the next chunk of the body), oldest first.
 *
 * <p>Every exchange has the same timeout, so the order of arming is the order of the
 * deadlines: arming appends, activity moves an exchange to the end, an answer unlinks it,
 * all in constant time, and one periodic sweep expires the heads that are due. This replaces
 * a Vert.x timer per request (a scheduled task created and cancelled on every request, which
 * ops/bench/router measured at several percent of the proxy's CPU). A deadline is kept to
 * within one sweep interval, a twentieth of the timeout.
 *
 * <p>Not thread-safe: used only on its event loop.
 */
final class ResponseDeadlines {

    /** An entry of the list; {@link #expired()} runs on the event loop when its deadline passes. */
    abstract static class Waiting {
        private Waiting prev;
        private Waiting next;
        private long deadlineNanos;
        private boolean armed;

        abstract void expired();
    }

    private final long timeoutNanos;
    private Waiting head;
    private Waiting tail;
    private int size;

    ResponseDeadlines(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("response timeout must be positive, got " + timeoutNanos + " ns");
        }
        this.timeoutNanos = timeoutNanos;
    }

    /** Starts the sweep on the calling context's event loop; returns the periodic timer's id. */
    long startSweeping(Vertx vertx) {
        long interval = Math.max(1, Math.min(100, timeoutNanos / 20 / 1_000_000));
        return vertx.setPeriodic(interval, id -> expireDue(System.nanoTime()));
    }

    /** The cell now owes an answer (or its next chunk) within the timeout from {@code now}. */
    void arm(Waiting w, long now) {
        if (w.armed) {
            unlink(w);
        }
        w.deadlineNanos = now + timeoutNanos;
        w.armed = true;
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        size++;
    }

    /** The cell answered in full, or the exchange ended otherwise: no deadline any more. */
    void disarm(Waiting w) {
        if (w.armed) {
            unlink(w);
        }
    }

    /** Expires every exchange whose deadline is at or before {@code now}; returns how many. */
    int expireDue(long now) {
        int expired = 0;
        while (head != null && head.deadlineNanos - now <= 0) {
            Waiting due = head;
            unlink(due);
            expired++;
            due.expired();
        }
        return expired;
    }

    int size() {
        return size;
    }

    private void unlink(Waiting w) {
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        w.armed = false;
        size--;
    }
}
