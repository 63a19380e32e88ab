package dev.cellshop.cell.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ProductCache} reaches the cell's Memcached.
 *
 * @param address {@code host:port} of the cell's Memcached
 * @param ttl     how long a cached product read lives; it bounds staleness when an invalidation is lost
 * @param timeout the most a read waits for Memcached before it goes to the loader instead
 * @param versionMaxAge how long an instance keeps a namespace version without asking Memcached: the
 *                most another instance's write may stay unseen here (this instance's own writes are seen at once)
 */
public record CacheSettings(String address, Duration ttl, Duration timeout, Duration versionMaxAge) {

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    /** Localhost Memcached answers in well under a millisecond; 75 ms only trips when it is sick. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(75);
    /** A quarter second: a shopper does not notice, and a hot shop's reads ask Memcached for it 4 times a second, not 15,000. */
    public static final Duration DEFAULT_VERSION_MAX_AGE = Duration.ofMillis(250);
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
        if (versionMaxAge.isNegative() || versionMaxAge.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("cache version max age " + versionMaxAge + " must be between 0 and 10 s");
        }
    }

    /** The default version max age. */
    public CacheSettings(String address, Duration ttl, Duration timeout) {
        this(address, ttl, timeout, DEFAULT_VERSION_MAX_AGE);
    }

    public static CacheSettings of(String address) {
        return new CacheSettings(address, DEFAULT_TTL, DEFAULT_TIMEOUT);
    }
}
