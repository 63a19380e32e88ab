package dev.cellshop.cell.ratelimit;

import dev.cellshop.kernel.id.ShopId;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The limits of {@link ShopRateLimiter}.
 *
 * @param defaultLimit   the bucket of every shop without an override
 * @param perShop        overrides for particular shops (a flash sale, a noisy integration)
 * @param timeout        the longest a decision may take before it fails with {@link RateLimiterUnavailable}
 * @param leaseTime      how long an instance may spend tokens it took from Redis in advance (zero: no leases)
 * @param leaseMaxTokens the most tokens one lease takes (1: every request asks Redis)
 */
public record RateLimitSettings(Limit defaultLimit, Map<ShopId, Limit> perShop, Duration timeout,
                                Duration leaseTime, int leaseMaxTokens) {

    /**
     * A burst of 2,000 then 1,000 a second: about what one cell checks out (the target
     * is 1,000 checkouts/s), so one shop can use its cell fully but not queue its neighbours behind it.
     */
    public static final Limit DEFAULT_LIMIT = new Limit(2_000, 1_000);
    /** Redis on the cell's own host answers in about a millisecond; 250 ms only trips when it is sick. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);
    /**
     * 100 ms of a shop's refill per lease, at most 100 tokens: at 15,000 reads/s one instance asks
     * Redis about 150 times a second instead of 15,000, and a token is spent at most 100 ms after
     * the bucket gave it out.
     */
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofMillis(100);
    public static final int DEFAULT_LEASE_MAX_TOKENS = 100;
    /** A lease takes at most this share of a bucket, so one instance cannot starve the others of a small one. */
    private static final int LEASE_SHARE_OF_CAPACITY = 10;

    public RateLimitSettings {
        Objects.requireNonNull(defaultLimit, "defaultLimit");
        perShop = Map.copyOf(perShop);
        if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("rate limit timeout " + timeout + " must be between 1 ms and 5 s");
        }
        if (leaseTime.isNegative() || leaseTime.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("rate limit lease time " + leaseTime + " must be between 0 and 1 s");
        }
        if (leaseMaxTokens < 1 || leaseMaxTokens > 10_000) {
            throw new IllegalArgumentException("rate limit lease size " + leaseMaxTokens + " must be between 1 and 10,000");
        }
    }

    /** Default leases. */
    public RateLimitSettings(Limit defaultLimit, Map<ShopId, Limit> perShop, Duration timeout) {
        this(defaultLimit, perShop, timeout, DEFAULT_LEASE_TIME, DEFAULT_LEASE_MAX_TOKENS);
    }

    public static RateLimitSettings defaults() {
        return new RateLimitSettings(DEFAULT_LIMIT, Map.of(), DEFAULT_TIMEOUT);
    }

    public Limit limitOf(ShopId shop) {
        return perShop.getOrDefault(shop, defaultLimit);
    }

    /**
     * How many tokens one instance takes from the shop's bucket at once: what the bucket refills
     * in one lease time, at most a tenth of its capacity and {@link #leaseMaxTokens}, at least 1.
     * Small or slow buckets (under 20 tokens, under 10 a second at 100 ms) get 1: exactly one Redis call a request.
     */
    public int leaseSizeOf(Limit limit) {
        double perLease = limit.refillPerSecond() * leaseTime.toNanos() / 1e9;
        long size = Math.min((long) perLease, limit.capacity() / LEASE_SHARE_OF_CAPACITY);
        return (int) Math.max(1, Math.min(size, leaseMaxTokens));
    }
}
