package dev.cellshop.testkit.faults;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The mode of one link, read by every pipe of it: a pipe waits here while the link is a
 * black hole, and reads the delay it adds to each chunk when it is slow.
 */
final class LinkState {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private LinkMode mode = LinkMode.PASS;
    private Duration latency = Duration.ZERO;

    void set(LinkMode mode, Duration latency) {
        lock.lock();
        try {
            this.mode = mode;
            this.latency = mode == LinkMode.LATENCY ? latency : Duration.ZERO;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    LinkMode mode() {
        lock.lock();
        try {
            return mode;
        } finally {
            lock.unlock();
        }
    }

    /** The delay one direction adds to a chunk read now (zero unless {@link LinkMode#LATENCY}). */
    long latencyNanos() {
        lock.lock();
        try {
            return latency.toNanos();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks while the link is a black hole; answers false once it is cut (the caller's sockets
     * are being closed) and true when traffic may flow.
     */
    boolean awaitFlowing() throws InterruptedException {
        lock.lock();
        try {
            while (mode == LinkMode.BLACKHOLE) {
                changed.await();
            }
            return mode != LinkMode.CUT;
        } finally {
            lock.unlock();
        }
    }
}
