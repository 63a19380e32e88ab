package dev.cellshop.cell.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ProductCache} reaches the cell's Memcached.
 *
 * @param address {@code host:port} of the cell's Memcached
 * @param ttl     how long a cached product read lives; it bounds staleness when an invalidation is lost
 * @param timeout the most a read waits for Memcached before it goes to the loader instead
 */
public record CacheSettings(String address, Duration ttl, Duration timeout) {

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    /** Localhost Memcached answers in well under a millisecond; 75 ms only trips when it is sick. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(75);
    // Memcached reads an expiry above 30 days as an absolute Unix time.
    private static final Duration MAX_TTL = Duration.ofDays(30);

    public CacheSettings {
        Objects.requireNonNull(address, "address");
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("cache ttl " + ttl + " must be between 1 s and 30 days");
        }
        if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("cache timeout " + timeout + " must be between 1 ms and 5 s");
        }
    }

    public static CacheSettings of(String address) {
        return new CacheSettings(address, DEFAULT_TTL, DEFAULT_TIMEOUT);
    }
}
