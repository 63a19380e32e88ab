package dev.cellshop.router.balance;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One live cell-runtime instance as the router sees it: its address, how many requests it
 * has in flight from this router (the balancing signal) and whether it may take traffic.
 *
 * <p>Two health signals, either of which takes it out: passive (a request to it failed at
 * the transport level: it is ejected for a while) and active (its {@code /ready} probe
 * failed). Leaving ZooKeeper removes it from its pool altogether.
 */
public final class Upstream {

    private final CellId cellId;
    private final InstanceDescriptor instance;
    private final InetSocketAddress address;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile long ejectedUntilNanos;
    private volatile boolean probeReady = true; // until a probe says otherwise: ZooKeeper says it lives

    Upstream(CellId cellId, InstanceDescriptor instance) {
        this.cellId = cellId;
        this.instance = instance;
        // Resolved here, on the ZooKeeper watcher's thread, so that connecting on an event
        // loop never waits for a name lookup (cells register IP addresses; a name that does
        // not resolve stays unresolved, and connecting to it fails as a refused connect does).
        this.address = new InetSocketAddress(instance.host(), instance.port());
    }

    public CellId cellId() {
        return cellId;
    }

    public InstanceDescriptor instance() {
        return instance;
    }

    public String host() {
        return instance.host();
    }

    public int port() {
        return instance.port();
    }

    public InetSocketAddress address() {
        return address;
    }

    public int outstanding() {
        return outstanding.get();
    }

    public boolean available(long nowNanos) {
        return probeReady && nowNanos - ejectedUntilNanos >= 0;
    }

    public boolean ejected(long nowNanos) {
        return nowNanos - ejectedUntilNanos < 0;
    }

    /** A request goes to this instance; pair with {@link #finished()}. */
    public void started() {
        outstanding.incrementAndGet();
    }

    public void finished() {
        outstanding.decrementAndGet();
    }

    /** A transport failure (refused, reset, timed out): no traffic until {@code untilNanos} unless a probe succeeds first. */
    public void eject(long untilNanos) {
        ejectedUntilNanos = untilNanos;
    }

    /** The result of an active {@code /ready} probe; a success also ends a passive ejection. */
    public void probed(boolean ready, long nowNanos) {
        probeReady = ready;
        if (ready) {
            ejectedUntilNanos = nowNanos;
        }
    }

    @Override
    public String toString() {
        return cellId + "/" + instance.instanceId() + "@" + instance.address();
    }
}
