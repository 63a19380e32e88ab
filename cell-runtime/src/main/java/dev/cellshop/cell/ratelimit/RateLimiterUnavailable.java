package dev.cellshop.cell.ratelimit;

/**
 * The rate limiter could not decide (Redis down, slow or refusing): the caller answers 503
 * rather than let unmetered traffic through or make the shopper wait.
 */
public final class RateLimiterUnavailable extends RuntimeException {

    public RateLimiterUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
