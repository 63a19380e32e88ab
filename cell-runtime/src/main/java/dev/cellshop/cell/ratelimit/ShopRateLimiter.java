package dev.cellshop.cell.ratelimit;

import dev.cellshop.kernel.id.ShopId;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Per-shop token bucket in the cell's Redis, so every instance of the cell meters a shop
 * against one bucket. One Lua script reads, refills and takes atomically (see
 * {@code token-bucket.lua}); it is sent by its SHA-1 and only in full when Redis does not
 * know it yet (after a restart or SCRIPT FLUSH).
 */
public final class ShopRateLimiter {

    private static final String SCRIPT = readScript();
    private static final String SCRIPT_SHA = sha1(SCRIPT);

    private final Redis redis;
    private final RateLimitSettings settings;

    /** {@code redis} is the cell's shared client; the limiter neither owns nor closes it. */
    public ShopRateLimiter(Redis redis, RateLimitSettings settings) {
        this.redis = redis;
        this.settings = settings;
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
     * Takes one token of the shop's bucket. Fails with {@link RateLimiterUnavailable} within
     * the configured timeout when Redis cannot answer.
     */
    public Future<Decision> tryAcquire(ShopId shop) {
        Limit limit = settings.limitOf(shop);
        String key = bucketKey(shop);
        String capacity = Long.toString(limit.capacity());
        String refill = Double.toString(limit.refillPerSecond());
        long timeoutMillis = settings.timeout().toMillis();
        return redis.send(Request.cmd(Command.EVALSHA).arg(SCRIPT_SHA).arg(1).arg(key).arg(capacity).arg(refill))
                .recover(e -> isNoScript(e)
                        ? redis.send(Request.cmd(Command.EVAL).arg(SCRIPT).arg(1).arg(key).arg(capacity).arg(refill))
                        : Future.failedFuture(e))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .transform(answer -> answer.succeeded()
                        ? Future.succeededFuture(decision(answer.result()))
                        : Future.failedFuture(new RateLimiterUnavailable("rate limiter of shop " + shop
                                + " could not decide within " + timeoutMillis + " ms: " + answer.cause(), answer.cause())));
    }

    public Limit limitOf(ShopId shop) {
        return settings.limitOf(shop);
    }

    static String bucketKey(ShopId shop) {
        return "rl:" + shop;
    }

    private static Decision decision(Response reply) {
        return reply.get(0).toInteger() == 1 ? Decision.allow() : Decision.refuse(reply.get(1).toLong());
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
