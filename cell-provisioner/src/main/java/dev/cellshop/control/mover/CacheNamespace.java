package dev.cellshop.control.mover;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.shopstate.ShopStateKeys;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.AddrUtil;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;

/**
 * Starts a moving shop's product cache fresh on the target cell. Entries the target's
 * Memcached may still hold from an earlier stay of the shop there are retired by moving the
 * shop's namespace version one past its last value; with no version there, the cell-runtime
 * creates one from the current time on its first read, newer than any before (see its
 * ProductCache). Nothing is copied: the target's cache fills from the target's database.
 *
 * <p>Blocking: call it from the mover's thread.
 */
public final class CacheNamespace {

    static {
        // spymemcached logs to stderr on its own unless pointed at SLF4J
        if (System.getProperty("net.spy.log.LoggerImpl") == null) {
            System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SLF4JLogger");
        }
    }

    private final Duration timeout;

    public CacheNamespace(Duration timeout) {
        this.timeout = timeout;
    }

    /** Retires the shop's cached entries on the cell at {@code memcached} (host:port); returns the new version, or -1 when there was none. */
    public long startFresh(ShopId shop, String memcached) {
        try (Session session = open(memcached)) {
            return session.startFresh(shop);
        }
    }

    /** A client connected ahead, so a cutover's pause does not include connecting. */
    public Session open(String memcached) {
        try {
            // The default failure mode queues the operation until the (asynchronous) connect is
            // made; Cancel would cancel it at once, before the first connect completes.
            return new Session(memcached, new MemcachedClient(new ConnectionFactoryBuilder().setOpTimeout(timeout.toMillis()).build(),
                    AddrUtil.getAddresses(memcached)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("target cell memcached " + memcached + ": " + e.getMessage(), e);
        }
    }

    /** An open client of one Memcached. */
    public final class Session implements AutoCloseable {
        private final String memcached;
        private final MemcachedClient client;

        private Session(String memcached, MemcachedClient client) {
            this.memcached = memcached;
            this.client = client;
        }

        public long startFresh(ShopId shop) {
            try {
                Future<Long> bumped = client.asyncIncr(ShopStateKeys.cacheNamespace(shop), 1);
                return bumped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("target cell memcached " + memcached + " did not take the namespace bump of shop "
                        + shop + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while bumping shop " + shop + "'s cache namespace", e);
            }
        }

        @Override
        public void close() {
            client.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
