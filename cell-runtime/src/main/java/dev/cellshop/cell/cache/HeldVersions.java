package dev.cellshop.cell.cache;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Cache version numbers (a shop's namespace, a product's, a shop's listing) held in this process
 * for at most {@code maxAge}, so a cached read costs one Memcached call (the entry), not three
 * (the versions, then the entry).
 *
 * <p>Staleness: this instance's own writes replace the held version at once with the pending
 * increment ({@link #moved}), so a read that starts after a write here was answered never sees
 * the version before it. Another instance's write is seen here once the held version is older
 * than {@code maxAge}: a read may show the state before that write for at most {@code maxAge}
 * plus one Memcached round trip.
 *
 * <p>A version being fetched is shared by every read that asks meanwhile; a failed fetch or
 * increment is not kept (the next read asks Memcached again).
 */
final class HeldVersions {

    /** Beyond this many held versions, the expired ones are dropped (a cell with many shops or products read once). */
    private static final int PRUNE_ABOVE = 10_000;

    private record Held(Future<Long> version, long since) {
    }

    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;

    HeldVersions(long maxAgeNanos, LongSupplier nanoClock) {
        this.maxAgeNanos = maxAgeNanos;
        this.nanoClock = nanoClock;
    }

    /** The held version of {@code key}, or a fresh one from {@code fetch}, held from now on. */
    Future<Long> version(String key, Function<String, Future<Long>> fetch) {
        long now = nanoClock.getAsLong();
        Held current = held.compute(key, (k, h) -> usable(h, now) ? h : new Held(fetch.apply(k), now));
        if (held.size() > PRUNE_ABOVE) {
            held.values().removeIf(h -> !usable(h, now));
        }
        return current.version();
    }

    /** This instance moved {@code key} to a new version (pending in {@code bumped}): every later read here waits for it. */
    void moved(String key, Future<Long> bumped) {
        held.put(key, new Held(bumped, nanoClock.getAsLong()));
    }

    private boolean usable(Held h, long now) {
        if (h == null) {
            return false;
        }
        if (!h.version().isComplete()) {
            return true;
        }
        return h.version().succeeded() && now - h.since() < maxAgeNanos;
    }
}
