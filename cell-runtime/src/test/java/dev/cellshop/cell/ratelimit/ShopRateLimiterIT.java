package dev.cellshop.cell.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-shop token buckets in cell-a's real Redis, and the limiter's answer when Redis is gone or hung. */
@ExtendWith(LocalPlatformExtension.class)
class ShopRateLimiterIT {

    private static final Duration TIMEOUT = Duration.ofMillis(250);

    private final Vertx vertx = Vertx.vertx();
    private Redis redis;

    @AfterEach
    void close() throws Exception {
        if (redis != null) {
            redis.close();
        }
        result(vertx.close());
    }

    @Test
    void a_bucket_of_capacity_10_allows_10_requests_then_refuses_with_a_positive_retry_after(PlatformEndpoints platform)
            throws Exception {
        ShopRateLimiter limiter = limiter(platform, new Limit(10, 0.5), Map.of());
        ShopId shop = newShop();

        for (int i = 1; i <= 10; i++) {
            assertThat(result(limiter.tryAcquire(shop)).allowed()).as("request %d", i).isTrue();
        }
        Decision refused = result(limiter.tryAcquire(shop));

        assertThat(refused.allowed()).isFalse();
        // One token at 0.5/s takes up to 2 s.
        assertThat(refused.retryAfterMillis()).isBetween(1L, 2_000L);
    }

    @Test
    void an_empty_bucket_refills_at_its_rate(PlatformEndpoints platform) throws Exception {
        ShopRateLimiter limiter = limiter(platform, new Limit(10, 10), Map.of());
        ShopId shop = newShop();
        drain(limiter, shop, 10);
        Decision refused = result(limiter.tryAcquire(shop));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterMillis()).isBetween(1L, 100L);

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> result(limiter.tryAcquire(shop)).allowed());
    }

    @Test
    void two_shops_do_not_share_a_bucket(PlatformEndpoints platform) throws Exception {
        ShopRateLimiter limiter = limiter(platform, new Limit(3, 0.1), Map.of());
        ShopId busy = newShop();
        ShopId quiet = newShop();
        drain(limiter, busy, 3);
        assertThat(result(limiter.tryAcquire(busy)).allowed()).isFalse();

        for (int i = 1; i <= 3; i++) {
            assertThat(result(limiter.tryAcquire(quiet)).allowed()).as("quiet shop request %d", i).isTrue();
        }
    }

    @Test
    void a_shop_with_an_override_gets_its_own_capacity_and_the_others_the_default(PlatformEndpoints platform)
            throws Exception {
        ShopId small = newShop();
        ShopId other = newShop();
        ShopRateLimiter limiter = limiter(platform, new Limit(5, 0.1), Map.of(small, new Limit(2, 0.1)));

        drain(limiter, small, 2);
        assertThat(result(limiter.tryAcquire(small)).allowed()).isFalse();
        drain(limiter, other, 5);
        assertThat(result(limiter.tryAcquire(other)).allowed()).isFalse();
    }

    @Test
    void an_idle_bucket_expires_once_it_would_be_full_again(PlatformEndpoints platform) throws Exception {
        ShopRateLimiter limiter = limiter(platform, new Limit(10, 5), Map.of());
        ShopId shop = newShop();

        result(limiter.tryAcquire(shop));

        long pttl = result(RedisAPI.api(redis).pttl(ShopRateLimiter.bucketKey(shop))).toLong();
        // Full after 10 / 5 = 2 s, plus the script's 1 s of slack.
        assertThat(pttl).isBetween(1L, 3_000L);
    }

    @Test
    void the_limiter_loads_its_script_again_after_redis_forgot_it(PlatformEndpoints platform) throws Exception {
        ShopRateLimiter limiter = limiter(platform, new Limit(10, 1), Map.of());
        result(limiter.tryAcquire(newShop()));

        result(RedisAPI.api(redis).script(List.of("FLUSH")));

        assertThat(result(limiter.tryAcquire(newShop())).allowed()).isTrue();
    }

    @Test
    void an_instance_takes_a_lease_of_ten_tokens_in_one_call_and_spends_nine_without_redis(PlatformEndpoints platform)
            throws Exception {
        AtomicLong clock = new AtomicLong();
        // 100 tokens, 100 a second, leases of 1 s: a lease is min(100, 100 / 10, 10) = 10 tokens.
        ShopRateLimiter limiter = leasingLimiter(platform, clock);
        ShopId shop = newShop();

        assertThat(result(limiter.tryAcquire(shop)).allowed()).isTrue();
        assertThat(bucketTokens(shop)).as("the lease's ten left the bucket at once").isEqualTo("90");
        drain(limiter, shop, 9);
        assertThat(bucketTokens(shop)).as("nine requests later Redis was not asked again").isEqualTo("90");

        assertThat(result(limiter.tryAcquire(shop)).allowed()).isTrue();
        assertThat(Double.parseDouble(bucketTokens(shop))).as("the next lease").isBetween(80.0, 89.0);
    }

    @Test
    void the_unspent_rest_of_an_expired_lease_goes_back_to_the_bucket(PlatformEndpoints platform) throws Exception {
        AtomicLong clock = new AtomicLong();
        ShopRateLimiter limiter = leasingLimiter(platform, clock);
        ShopId shop = newShop();
        result(limiter.tryAcquire(shop)); // leases 10, spends 1

        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        result(limiter.tryAcquire(shop)); // gives 9 back, leases 10, spends 1

        // 90 + 9 back + a few ms of refill, minus the new lease of 10 (without the give-back: about 80).
        assertThat(Double.parseDouble(bucketTokens(shop))).isBetween(89.0, 90.0);
    }

    @Test
    void two_instances_leasing_from_one_bucket_together_never_allow_more_than_it_holds(PlatformEndpoints platform)
            throws Exception {
        AtomicLong clock = new AtomicLong(); // frozen: leases and refusals never expire, each instance spends all it took
        ShopRateLimiter first = leasingLimiter(platform, clock);
        ShopRateLimiter second = new ShopRateLimiter(redis, leasingSettings(), clock::get);
        ShopId shop = newShop();

        long start = System.nanoTime();
        int allowed = 0;
        boolean firstRefused = false;
        boolean secondRefused = false;
        while (!firstRefused || !secondRefused) {
            if (!firstRefused && !(firstRefused = !result(first.tryAcquire(shop)).allowed())) {
                allowed++;
            }
            if (!secondRefused && !(secondRefused = !result(second.tryAcquire(shop)).allowed())) {
                allowed++;
            }
        }
        double refilled = 100.0 * (System.nanoTime() - start) / 1e9;

        assertThat(allowed).isBetween(100, 100 + (int) Math.ceil(refilled));
    }

    @Test
    void concurrent_requests_of_a_shop_share_one_call_to_redis(PlatformEndpoints platform) throws Exception {
        ShopRateLimiter limiter = leasingLimiter(platform, new AtomicLong());
        ShopId shop = newShop();

        List<Future<Decision>> decisions = java.util.stream.IntStream.range(0, 10).mapToObj(i -> limiter.tryAcquire(shop)).toList();

        for (Future<Decision> decision : decisions) {
            assertThat(result(decision).allowed()).isTrue();
        }
        assertThat(bucketTokens(shop)).as("one lease of ten served all ten").isEqualTo("90");
    }

    @Test
    void with_leases_off_concurrent_requests_each_take_their_own_token_at_once(PlatformEndpoints platform) throws Exception {
        redis = Redis.createClient(vertx, platform.cell("cell-a").redis());
        ShopRateLimiter limiter = new ShopRateLimiter(redis,
                new RateLimitSettings(new Limit(100, 0.01), Map.of(), TIMEOUT, Duration.ZERO, 10), new AtomicLong()::get);
        result(limiter.loadScript());
        ShopId shop = newShop();

        List<Future<Decision>> decisions = java.util.stream.IntStream.range(0, 10).mapToObj(i -> limiter.tryAcquire(shop)).toList();

        for (Future<Decision> decision : decisions) {
            assertThat(result(decision).allowed()).isTrue();
        }
        assertThat(Double.parseDouble(bucketTokens(shop))).as("ten calls of one token").isBetween(90.0, 90.1);
    }

    @Test
    void with_redis_unreachable_a_request_fails_within_the_timeout_with_RateLimiterUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ShopRateLimiter limiter = unstartedLimiter("redis://127.0.0.1:" + closedPort);

        failsWithinTheTimeout(limiter);
    }

    @Test
    void with_redis_accepting_but_never_answering_a_request_fails_within_the_timeout_with_RateLimiterUnavailable()
            throws Exception {
        // A listening socket nobody accepts from: the kernel completes the connection, nothing ever answers.
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ShopRateLimiter limiter = unstartedLimiter("redis://127.0.0.1:" + hung.getLocalPort());

            failsWithinTheTimeout(limiter);
            redis.close(); // before the socket goes, so the client sees a close of its own, not a reset
            redis = null;
        }
    }

    private void failsWithinTheTimeout(ShopRateLimiter limiter) {
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            AtomicLong finished = new AtomicLong();
            Future<Decision> decision = limiter.tryAcquire(newShop()).onComplete((d, e) -> finished.set(System.nanoTime()));

            await().atMost(Duration.ofSeconds(2)).until(decision::isComplete);

            assertThat(decision.cause()).isInstanceOf(RateLimiterUnavailable.class);
            long millis = TimeUnit.NANOSECONDS.toMillis(finished.get() - start);
            // The bound is the 250 ms timeout; 100 ms more for a busy test machine's scheduling.
            assertThat(millis).as("request %d failed after %d ms", i, millis).isLessThan(TIMEOUT.toMillis() + 100);
        }
    }

    private ShopRateLimiter leasingLimiter(PlatformEndpoints platform, AtomicLong clock) throws Exception {
        redis = Redis.createClient(vertx, platform.cell("cell-a").redis());
        ShopRateLimiter limiter = new ShopRateLimiter(redis, leasingSettings(), clock::get);
        result(limiter.loadScript());
        return limiter;
    }

    private static RateLimitSettings leasingSettings() {
        return new RateLimitSettings(new Limit(100, 100), Map.of(), TIMEOUT, Duration.ofSeconds(1), 10);
    }

    private String bucketTokens(ShopId shop) throws Exception {
        return result(RedisAPI.api(redis).hget(ShopRateLimiter.bucketKey(shop), "tokens")).toString();
    }

    private ShopRateLimiter limiter(PlatformEndpoints platform, Limit defaultLimit, Map<ShopId, Limit> perShop)
            throws Exception {
        ShopRateLimiter limiter = limiter(platform.cell("cell-a").redis(), defaultLimit, perShop);
        result(limiter.loadScript()); // as the runtime does at start
        return limiter;
    }

    /**
     * A limiter whose start was tried (and failed, Redis being out of reach): the JVM's first
     * Redis request loads Netty's and the client's classes for about half a second, a
     * start-up cost the runtime pays in its start, not in a shopper's request.
     */
    private ShopRateLimiter unstartedLimiter(String redisUrl) {
        ShopRateLimiter limiter = limiter(redisUrl, new Limit(10, 1), Map.of());
        Future<Void> start = limiter.loadScript().timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(5)).until(start::isComplete);
        return limiter;
    }

    private ShopRateLimiter limiter(String redisUrl, Limit defaultLimit, Map<ShopId, Limit> perShop) {
        redis = Redis.createClient(vertx, redisUrl);
        return new ShopRateLimiter(redis, new RateLimitSettings(defaultLimit, perShop, TIMEOUT));
    }

    private static void drain(ShopRateLimiter limiter, ShopId shop, int tokens) throws Exception {
        for (int i = 1; i <= tokens; i++) {
            assertThat(result(limiter.tryAcquire(shop)).allowed()).as("request %d of %d", i, tokens).isTrue();
        }
    }

    private static ShopId newShop() {
        return ShopId.of(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
