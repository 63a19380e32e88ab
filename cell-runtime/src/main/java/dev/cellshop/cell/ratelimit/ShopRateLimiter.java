package dev.cellshop.cell.ratelimit;

import dev.cellshop.kernel.id.ShopId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Per-shop token bucket in the cell's Redis, so every instance of the cell meters a shop
 * against one bucket. One Lua script reads, refills and takes atomically (see
 * {@code token-bucket.lua}); it is sent by its SHA-1 and only in full when Redis does not
 * know it yet (after a restart or SCRIPT FLUSH).
 *
 * <p>Most requests do not call Redis: an instance takes up to {@link RateLimitSettings#leaseSizeOf}
 * tokens at once and spends them locally for at most the lease time ({@link TokenLease} states
 * the resulting tolerance), and remembers a refusal until a token can be back. While one lease
 * call for a shop is in flight, the shop's other requests wait for it rather than send their own;
 * with leases of one token (leases off, small or slow buckets) each request asks Redis itself.
 */
public final class ShopRateLimiter {

    private static final String SCRIPT = readScript();
    private static final String SCRIPT_SHA = sha1(SCRIPT);

    private final Redis redis;
    private final RateLimitSettings settings;
    private final LongSupplier nanoClock;
    private final Map<ShopId, ShopLease> leases = new ConcurrentHashMap<>();

    /** {@code redis} is the cell's shared client; the limiter neither owns nor closes it. */
    public ShopRateLimiter(Redis redis, RateLimitSettings settings) {
        this(redis, settings, System::nanoTime);
    }

    ShopRateLimiter(Redis redis, RateLimitSettings settings, LongSupplier nanoClock) {
        this.redis = redis;
        this.settings = settings;
        this.nanoClock = nanoClock;
    }

    /**
     * Loads the script into Redis and opens a pooled connection, so the first request does
     * not spend its short timeout on either. Call at start; a failure is harmless (Redis may
     * come later: {@link #tryAcquire} sends the whole script when Redis does not know it).
     */
    public Future<Void> loadScript() {
        return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SCRIPT)).mapEmpty();
    }

    /**
     * Takes one token of the shop's bucket: a leased one when this instance holds any, else
     * from Redis. Fails with {@link RateLimiterUnavailable} within the configured timeout when
     * Redis cannot answer.
     */
    public Future<Decision> tryAcquire(ShopId shop) {
        ShopLease lease = leases.computeIfAbsent(shop, s -> new ShopLease(settings.leaseTime().toNanos()));
        long now = nanoClock.getAsLong();
        if (lease.tokens.trySpend(now)) {
            return Future.succeededFuture(Decision.allow());
        }
        long refusedFor = lease.tokens.refusedForMillis(now);
        if (refusedFor > 0) {
            return Future.succeededFuture(Decision.refuse(refusedFor));
        }
        if (settings.leaseSizeOf(settings.limitOf(shop)) == 1) {
            // A call takes one token: nothing to share, so concurrent requests ask Redis side by side.
            return take(shop, lease.tokens, now);
        }
        synchronized (lease) {
            if (lease.inFlight != null) {
                // Served by the call in flight: its tokens, its refusal or its failure.
                return lease.inFlight.compose(v -> tryAcquire(shop));
            }
            Promise<Void> call = Promise.promise();
            lease.inFlight = call.future();
            Future<Decision> decision = take(shop, lease.tokens, now);
            decision.onComplete(done -> {
                synchronized (lease) {
                    lease.inFlight = null;
                }
                call.handle(done.mapEmpty());
            });
            return decision;
        }
    }

    private Future<Decision> take(ShopId shop, TokenLease tokens, long now) {
        Limit limit = settings.limitOf(shop);
        String key = bucketKey(shop);
        String capacity = Long.toString(limit.capacity());
        String refill = Double.toString(limit.refillPerSecond());
        String wanted = Integer.toString(settings.leaseSizeOf(limit));
        String returned = Integer.toString(tokens.takeExpired(now));
        long timeoutMillis = settings.timeout().toMillis();
        return redis.send(Request.cmd(Command.EVALSHA).arg(SCRIPT_SHA).arg(1).arg(key).arg(capacity).arg(refill).arg(wanted).arg(returned))
                .recover(e -> isNoScript(e)
                        ? redis.send(Request.cmd(Command.EVAL).arg(SCRIPT).arg(1).arg(key).arg(capacity).arg(refill).arg(wanted).arg(returned))
                        : Future.failedFuture(e))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .transform(answer -> {
                    if (answer.failed()) {
                        return Future.failedFuture(new RateLimiterUnavailable("rate limiter of shop " + shop
                                + " could not decide within " + timeoutMillis + " ms: " + answer.cause(), answer.cause()));
                    }
                    int granted = answer.result().get(0).toInteger();
                    if (granted >= 1) {
                        tokens.granted(nanoClock.getAsLong(), granted);
                        return Future.succeededFuture(Decision.allow());
                    }
                    long retryAfterMillis = answer.result().get(1).toLong();
                    tokens.refused(nanoClock.getAsLong(), retryAfterMillis);
                    return Future.succeededFuture(Decision.refuse(retryAfterMillis));
                });
    }

    /** A shop's leased tokens, and the one call to Redis for them that may be in flight. */
    private static final class ShopLease {
        final TokenLease tokens;
        Future<Void> inFlight;

        ShopLease(long leaseNanos) {
            this.tokens = new TokenLease(leaseNanos);
        }
    }

    public Limit limitOf(ShopId shop) {
        return settings.limitOf(shop);
    }

    static String bucketKey(ShopId shop) {
        return "rl:" + shop;
    }

    private static boolean isNoScript(Throwable e) {
        return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
    }

    private static String readScript() {
        try (InputStream in = ShopRateLimiter.class.getResourceAsStream("token-bucket.lua")) {
            if (in == null) {
                throw new IllegalStateException("token-bucket.lua is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
