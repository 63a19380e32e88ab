package dev.cellshop.router.limit;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-client request limit (limits.client-rate, limits.client-burst): a token bucket per
 * client address, kept as GCRA does, in one number, the bucket's "theoretical arrival time":
 * a request is admitted while that time is at most {@code burst - 1} emission intervals
 * ahead of now, and moves it one interval on. So a check is one map lookup and one
 * compare-and-set, shared by every event loop without a lock (two loops race only for one
 * client's requests at the same instant, and then one of them retries).
 *
 * <p>Memory is bounded: a bucket whose time has passed is full, the same as no bucket, so
 * {@link #evictIdle} drops it without changing any answer; and at most {@code maxClients}
 * buckets are kept: past that, a new client is admitted untracked until the next eviction
 * (failing open: a flood of fresh addresses must not lock out the clients the router knows).
 * IPv6 clients are counted per /64, the block one subscriber gets.
 */
public final class ClientRateLimit {

    private final long intervalNanos;
    private final long toleranceNanos;
    private final int maxClients;
    private final TrustedProxies trustedProxies;
    private final ConcurrentHashMap<InetAddress, AtomicLong> buckets = new ConcurrentHashMap<>();

    /** {@code perSecond} requests a second on average, up to {@code burst} at once. */
    public ClientRateLimit(int perSecond, int burst, int maxClients, TrustedProxies trustedProxies) {
        if (perSecond <= 0 || burst <= 0 || maxClients <= 0) {
            throw new IllegalArgumentException("rate, burst and tracked clients must be positive");
        }
        this.intervalNanos = 1_000_000_000L / perSecond;
        this.toleranceNanos = intervalNanos * (burst - 1L);
        this.maxClients = maxClients;
        this.trustedProxies = trustedProxies;
    }

    /** Whose {@code X-Forwarded-For} names the client. */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** Takes one request of {@code client}'s: 0 when admitted, else the whole seconds until it would be (Retry-After). */
    public long acquire(InetAddress client, long nowNanos) {
        AtomicLong bucket = buckets.get(client);
        if (bucket == null) {
            InetAddress key = key(client);
            bucket = key == client ? null : buckets.get(key);
            if (bucket == null) {
                if (buckets.size() >= maxClients) {
                    return 0;
                }
                bucket = buckets.computeIfAbsent(key, k -> new AtomicLong(nowNanos)); // full
            }
        }
        while (true) {
            long arrival = bucket.get();
            long start = arrival - nowNanos < 0 ? nowNanos : arrival; // a bucket does not fill past full
            long ahead = start - nowNanos;
            if (ahead > toleranceNanos) {
                return Math.max(1, (ahead - toleranceNanos + 999_999_999L) / 1_000_000_000L);
            }
            if (bucket.compareAndSet(arrival, start + intervalNanos)) {
                return 0;
            }
        }
    }

    /** Drops the buckets that are full again (idle clients): an answer of {@link #acquire} is the same with or without them. */
    public void evictIdle(long nowNanos) {
        buckets.values().removeIf(bucket -> bucket.get() - nowNanos <= 0);
    }

    int tracked() {
        return buckets.size();
    }

    /** The bucket's key: the address itself, or an IPv6 address's /64. */
    private static InetAddress key(InetAddress client) {
        if (!(client instanceof Inet6Address)) {
            return client;
        }
        byte[] bytes = client.getAddress();
        Arrays.fill(bytes, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always an address
        }
    }
}
