package dev.cellshop.cell.ratelimit;

/**
 * The tokens one instance took from a shop's Redis bucket in advance, spent locally until they
 * run out or the lease expires, and the last refusal, remembered until a token can be back.
 *
 * <p>Why the limit stays right across instances: every request this instance allows spends a
 * token the shared bucket gave out, so all instances together never allow more than the bucket
 * does; a leased token is spent at most the lease time after Redis took it, so over any window
 * the shop gets at most what the bucket allows over that window plus one lease time. Unspent
 * tokens of an expired lease go back with the next request to Redis (the bucket's cap still
 * holds); until then they are missing from the bucket: at most {@code leaseSize - 1} per instance.
 *
 * <p>Times are {@link System#nanoTime()} values, passed in, so the logic is testable without a clock.
 * Thread-safe: every method holds the lease's monitor, briefly.
 */
final class TokenLease {

    private final long leaseNanos;
    private int tokens;
    private long expiresAt;
    private long refusedUntil;
    private boolean refused;

    TokenLease(long leaseNanos) {
        this.leaseNanos = leaseNanos;
    }

    /** Spends one leased token; false when none is left or the lease has expired. */
    synchronized boolean trySpend(long now) {
        if (tokens > 0 && now - expiresAt < 0) {
            tokens--;
            return true;
        }
        return false;
    }

    /** While the bucket's last refusal holds: the milliseconds left (at least 1); otherwise 0. */
    synchronized long refusedForMillis(long now) {
        if (refused && now - refusedUntil < 0) {
            return Math.max(1, (refusedUntil - now + 999_999) / 1_000_000);
        }
        refused = false;
        return 0;
    }

    /** The unspent tokens of an expired lease, to give back to the bucket; they are no longer this instance's. */
    synchronized int takeExpired(long now) {
        if (now - expiresAt < 0) {
            return 0;
        }
        int rest = tokens;
        tokens = 0;
        return rest;
    }

    /** Redis gave {@code granted} tokens (at least 1): the caller spends one now, the rest are leased. */
    synchronized void granted(long now, int granted) {
        tokens += granted - 1;
        expiresAt = now + leaseNanos;
        refused = false;
    }

    /**
     * The bucket is empty and a token is back in {@code retryAfterMillis}: refuse locally until
     * then, at most one lease time (another instance may give tokens back sooner).
     */
    synchronized void refused(long now, long retryAfterMillis) {
        refused = true;
        refusedUntil = now + Math.min(retryAfterMillis * 1_000_000, leaseNanos);
    }
}
