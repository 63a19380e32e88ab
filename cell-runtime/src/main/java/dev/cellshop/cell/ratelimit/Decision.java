package dev.cellshop.cell.ratelimit;

/** The answer for one request: allowed, or refused until a token is back in {@code retryAfterMillis}. */
public record Decision(boolean allowed, long retryAfterMillis) {

    private static final Decision ALLOWED = new Decision(true, 0);

    public Decision {
        if (allowed ? retryAfterMillis != 0 : retryAfterMillis < 1) {
            throw new IllegalArgumentException("retryAfterMillis " + retryAfterMillis + " with allowed=" + allowed);
        }
    }

    public static Decision allow() {
        return ALLOWED;
    }

    public static Decision refuse(long retryAfterMillis) {
        return new Decision(false, retryAfterMillis);
    }

    /** For a {@code Retry-After} header: whole seconds, rounded up, so a client never comes back too early. */
    public long retryAfterSeconds() {
        return (retryAfterMillis + 999) / 1000;
    }
}
