package dev.cellshop.kernel.id;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long a worker-id lease may still be trusted, on a monotonic clock, whether or not
 * ZooKeeper answers right now.
 *
 * <p>Why the window is sound: the lease is an EPHEMERAL node, which only a running
 * ZooKeeper quorum removes, and only when it expires our session. The server moves a
 * session's expiry to (receipt of its latest request) + (negotiated session timeout),
 * rounded up to the next tick; a server that restarts, or a new leader, gives every session
 * a fresh full timeout. So with {@code sentAt} read before sending a request that ZooKeeper
 * then answered in our session, nobody can hold our worker id before
 * {@code sentAt + sessionTimeout}. We stop issuing ids {@link #margin} before that: the
 * margin covers wall-clock skew between hosts (a successor's ids take their timestamps from
 * its own clock, which may run behind ours) and clock-rate drift over the window.
 *
 * <p>States: closed (no lease, or it was LOST), open until {@code closesAt}. Each
 * confirmation replaces {@code closesAt} (it does not take the later of the two): the
 * server may renegotiate a shorter timeout on reconnect, and the newest answer is the one
 * that counts. Writers are one thread (the lease's), readers any thread.
 */
final class LeaseWindow {

    private final LongSupplier nanoClock;
    private final Duration margin;
    private volatile boolean open;
    private volatile long closesAtNanos;

    LeaseWindow(LongSupplier nanoClock, Duration margin) {
        this.nanoClock = nanoClock;
        this.margin = margin;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /** ZooKeeper answered a request sent at {@code sentAtNanos} in the session that owns the lease. */
    synchronized void confirmed(long sentAtNanos, Duration sessionTimeout) {
        closesAtNanos = sentAtNanos + sessionTimeout.minus(margin).toNanos();
        open = true;
    }

    /** The lease is gone or may be (session LOST, node missing, generator closed): no id until the next confirmation. */
    synchronized void close() {
        open = false;
    }

    boolean isOpen() {
        return open && nanoClock.getAsLong() - closesAtNanos < 0;
    }

    /** How much longer ids may be issued without another confirmation; zero when closed. */
    Duration remaining() {
        long left = closesAtNanos - nanoClock.getAsLong();
        return open && left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    Duration margin() {
        return margin;
    }
}
