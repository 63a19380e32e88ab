package dev.cellshop.cell.ratelimit;

import dev.cellshop.kernel.id.ShopId;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The limits of {@link ShopRateLimiter}.
 *
 * @param defaultLimit the bucket of every shop without an override
 * @param perShop      overrides for particular shops (a flash sale, a noisy integration)
 * @param timeout      the longest a decision may take before it fails with {@link RateLimiterUnavailable}
 */
public record RateLimitSettings(Limit defaultLimit, Map<ShopId, Limit> perShop, Duration timeout) {

    /**
     * A burst of 2,000 then 1,000 a second: about what one cell checks out (the target
     * is 1,000 checkouts/s), so one shop can use its cell fully but not queue its neighbours behind it.
     */
    public static final Limit DEFAULT_LIMIT = new Limit(2_000, 1_000);
    /** Redis on the cell's own host answers in about a millisecond; 250 ms only trips when it is sick. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

    public RateLimitSettings {
        Objects.requireNonNull(defaultLimit, "defaultLimit");
        perShop = Map.copyOf(perShop);
        if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("rate limit timeout " + timeout + " must be between 1 ms and 5 s");
        }
    }

    public static RateLimitSettings defaults() {
        return new RateLimitSettings(DEFAULT_LIMIT, Map.of(), DEFAULT_TIMEOUT);
    }

    public Limit limitOf(ShopId shop) {
        return perShop.getOrDefault(shop, defaultLimit);
    }
}
