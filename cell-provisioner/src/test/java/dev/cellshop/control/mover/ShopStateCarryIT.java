package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.shopstate.ShopStateKeys;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A moving shop's state outside MySQL, on the platform's real Redis, Memcached and MariaDB of two cells. */
@ExtendWith(LocalPlatformExtension.class)
class ShopStateCarryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void every_cart_of_the_shop_and_only_its_reaches_the_target_with_its_lines_and_time_to_live(PlatformEndpoints platform)
            throws Exception {
        ShopId moving = ShopId.of(900_000 + System.nanoTime() % 10_000 * 10);
        ShopId prefixTwin = ShopId.of(moving.value() * 10 + 1); // its id starts with the moving shop's digits
        String source = platform.cell("cell-a").redis();
        String target = platform.cell("cell-b").redis();
        RedisAPI sourceApi = api(source);
        RedisAPI targetApi = api(target);
        int carts = CartCarrier.PAGE + 123; // more than one SCAN page
        for (int i = 0; i < carts; i++) {
            String key = ShopStateKeys.cart(moving, "token-" + i);
            await(sourceApi.hset(List.of(key, "v:" + (1000 + i), Integer.toString(i % 7 + 1), "created", "1")));
            await(sourceApi.pexpire(List.of(key, Long.toString(Duration.ofDays(7).toMillis()))));
        }
        await(sourceApi.hset(List.of(ShopStateKeys.cart(prefixTwin, "twin"), "v:1", "1")));

        CartCarrier carrier = new CartCarrier(vertx, TIMEOUT);
        CartCarrier.Carried carried = carrier.carry(moving, source, target);

        assertThat(carried.carts()).isEqualTo(carts);
        assertThat(carried.bytes()).isPositive();
        for (int i : new int[] {0, 1, carts / 2, carts - 1}) {
            String key = ShopStateKeys.cart(moving, "token-" + i);
            Response lines = await(targetApi.hgetall(key));
            assertThat(lines.get("v:" + (1000 + i)).toInteger()).isEqualTo(i % 7 + 1);
            long ttl = await(targetApi.pttl(key)).toLong();
            assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofDays(7).toMillis());
        }
        assertThat(await(targetApi.exists(List.of(ShopStateKeys.cart(prefixTwin, "twin")))).toInteger()).isZero();

        // carried again (a resumed cutover): the same carts, replaced, none doubled
        assertThat(carrier.carry(moving, source, target).carts()).isEqualTo(carts);

        assertThat(carrier.deleteAll(moving, source)).isEqualTo(carts);
        assertThat(await(sourceApi.exists(List.of(ShopStateKeys.cart(moving, "token-0")))).toInteger()).isZero();
        assertThat(await(sourceApi.exists(List.of(ShopStateKeys.cart(prefixTwin, "twin")))).toInteger()).isOne();
        carrier.deleteAll(moving, target);
        carrier.deleteAll(prefixTwin, source);
    }

    @Test
    void an_unreachable_redis_is_named_in_the_failure() {
        CartCarrier carrier = new CartCarrier(vertx, Duration.ofSeconds(3));
        assertThatThrownBy(() -> carrier.carry(ShopId.of(1), "redis://127.0.0.1:1", "redis://127.0.0.1:1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("source cell redis redis://127.0.0.1:1");
    }

    @Test
    void the_targets_cache_namespace_moves_past_its_last_value_and_a_missing_one_stays_missing(PlatformEndpoints platform)
            throws Exception {
        PlatformEndpoints.Cell cell = platform.cell("cell-b");
        ShopId shop = ShopId.of(800_000 + System.nanoTime() % 10_000);
        ShopId never = ShopId.of(shop.value() + 1);
        MemcachedClient memcached = new MemcachedClient(new InetSocketAddress("127.0.0.1", cell.memcachedPort()));
        try {
            assertThat(memcached.set(ShopStateKeys.cacheNamespace(shop), 0, "1700000000000000").get(5, TimeUnit.SECONDS)).isTrue();
            CacheNamespace namespace = new CacheNamespace(TIMEOUT);

            assertThat(namespace.startFresh(shop, cell.memcached())).isEqualTo(1_700_000_000_000_001L);
            assertThat(namespace.startFresh(never, cell.memcached())).isEqualTo(-1);
            assertThat(memcached.get(ShopStateKeys.cacheNamespace(never))).isNull();
        } finally {
            memcached.delete(ShopStateKeys.cacheNamespace(shop));
            memcached.shutdown(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void the_cutover_waits_for_the_relay_to_empty_the_shops_outbox_and_gives_up_with_the_count(PlatformEndpoints platform)
            throws Exception {
        PlatformEndpoints.Mysql mysql = platform.cell("cell-a").mysql().withDatabase("scratch");
        ShopId shop = ShopId.of(700_000 + System.nanoTime() % 10_000);
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
             Statement sql = c.createStatement()) {
            // the outbox's shape, in a scratch database no relay reads: this test plays the relay
            sql.execute("CREATE TABLE IF NOT EXISTS outbox LIKE cellshop.outbox");
            sql.execute("DELETE FROM outbox WHERE shop_id = " + shop.value());
            sql.execute("INSERT INTO outbox (shop_id, id, event_type, payload) VALUES (" + shop.value() + ", 1, 'order.created', '{}'), ("
                    + shop.value() + ", 2, 'order.paid', '{}')");

            OutboxDrain drain = new OutboxDrain(Duration.ofSeconds(10), Duration.ofMillis(20));
            CompletableFuture<Void> relay = CompletableFuture.runAsync(() -> {
                try (Connection r = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                     Statement delete = r.createStatement()) {
                    Thread.sleep(300); // events published a moment after the freeze
                    delete.execute("DELETE FROM outbox WHERE shop_id = " + shop.value());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(drain.await(shop, c)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            relay.get(10, TimeUnit.SECONDS);

            sql.execute("INSERT INTO outbox (shop_id, id, event_type, payload) VALUES (" + shop.value() + ", 3, 'order.created', '{}')");
            OutboxDrain impatient = new OutboxDrain(Duration.ofMillis(200), Duration.ofMillis(20));
            assertThatThrownBy(() -> impatient.await(shop, c)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 unpublished event(s) of shop " + shop);
            sql.execute("DELETE FROM outbox WHERE shop_id = " + shop.value());
        }
    }

    private static RedisAPI api(String url) {
        return RedisAPI.api(Redis.createClient(vertx, url));
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
