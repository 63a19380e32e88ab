package dev.cellshop.cell.ratelimit;

/**
 * A shop's token bucket: at most {@code capacity} requests in a burst, then
 * {@code refillPerSecond} a second on average.
 */
public record Limit(long capacity, double refillPerSecond) {

    public Limit {
        if (capacity < 1) {
            throw new IllegalArgumentException("rate limit capacity " + capacity + " must be at least 1");
        }
        // Below 0.001 tokens/s the bucket's expiry (capacity / rate) leaves the range Redis accepts.
        if (!(refillPerSecond >= 0.001) || Double.isInfinite(refillPerSecond)) {
            throw new IllegalArgumentException("rate limit refill " + refillPerSecond + "/s must be at least 0.001 and finite");
        }
    }
}
