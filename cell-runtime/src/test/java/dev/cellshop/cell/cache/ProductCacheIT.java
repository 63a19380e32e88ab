package dev.cellshop.cell.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The product cache against cell-a's real Memcached, and against a Memcached that is gone or hung. */
@ExtendWith(LocalPlatformExtension.class)
class ProductCacheIT {

    private static final Duration TIMEOUT = Duration.ofMillis(75);
    private static final Duration MAX_AGE = Duration.ofMillis(250);

    private final Vertx vertx = Vertx.vertx();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private ProductCache cache;

    @AfterEach
    void close() throws Exception {
        if (cache != null) {
            result(cache.close());
        }
        result(vertx.close());
    }

    @Test
    void a_second_read_is_served_from_memcached_without_calling_the_loader(PlatformEndpoints platform) throws Exception {
        connectTo(platform);
        ShopId shop = newShop();
        Loader loader = new Loader("{\"id\":1}");

        String first = result(cache.getOrLoad(shop, "product:1", loader));
        String second = result(cache.getOrLoad(shop, "product:1", loader));

        assertThat(first).isEqualTo("{\"id\":1}#1");
        assertThat(second).isEqualTo(first);
        assertThat(loader.calls()).isEqualTo(1);
        assertThat(lookups("miss")).isEqualTo(1);
        assertThat(lookups("hit")).isEqualTo(1);
        assertThat(lookups("error")).isZero();
    }

    @Test
    void invalidating_a_shop_makes_the_next_read_of_each_of_its_entries_load_again(PlatformEndpoints platform) throws Exception {
        connectTo(platform);
        ShopId shop = newShop();
        Loader product = new Loader("product");
        Loader list = new Loader("list");
        result(cache.getOrLoad(shop, "product:1", product));
        result(cache.getOrLoad(shop, "list:0:20", list));

        result(cache.invalidateShop(shop));

        assertThat(result(cache.getOrLoad(shop, "product:1", product))).isEqualTo("product#2");
        assertThat(result(cache.getOrLoad(shop, "list:0:20", list))).isEqualTo("list#2");
        assertThat(result(cache.getOrLoad(shop, "product:1", product))).as("cached again after the reload").isEqualTo("product#2");
        assertThat(product.calls()).isEqualTo(2);
        assertThat(list.calls()).isEqualTo(2);
    }

    @Test
    void invalidating_one_shop_leaves_another_shops_entries_cached(PlatformEndpoints platform) throws Exception {
        connectTo(platform);
        ShopId invalidated = newShop();
        ShopId untouched = newShop();
        Loader invalidatedLoader = new Loader("a");
        Loader untouchedLoader = new Loader("b");
        result(cache.getOrLoad(invalidated, "product:1", invalidatedLoader));
        result(cache.getOrLoad(untouched, "product:1", untouchedLoader));

        result(cache.invalidateShop(invalidated));

        assertThat(result(cache.getOrLoad(untouched, "product:1", untouchedLoader))).isEqualTo("b#1");
        assertThat(result(cache.getOrLoad(invalidated, "product:1", invalidatedLoader))).isEqualTo("a#2");
        assertThat(untouchedLoader.calls()).isEqualTo(1);
    }

    @Test
    void invalidating_products_reloads_their_details_and_the_shops_pages_but_no_other_product(PlatformEndpoints platform)
            throws Exception {
        connectTo(platform);
        ShopId shop = newShop();
        Loader sold = new Loader("sold");
        Loader other = new Loader("other");
        Loader page = new Loader("page");
        result(cache.getOrLoadProduct(shop, 1, sold));
        result(cache.getOrLoadProduct(shop, 2, other));
        result(cache.getOrLoad(shop, "list:0:20", page));

        result(cache.invalidateProducts(shop, Set.of(1L)));

        assertThat(result(cache.getOrLoadProduct(shop, 1, sold))).isEqualTo("sold#2");
        assertThat(result(cache.getOrLoad(shop, "list:0:20", page))).isEqualTo("page#2");
        assertThat(result(cache.getOrLoadProduct(shop, 2, other))).isEqualTo("other#1");
    }

    @Test
    void a_shop_never_read_before_can_be_invalidated(PlatformEndpoints platform) throws Exception {
        connectTo(platform);
        ShopId shop = newShop();

        result(cache.invalidateShop(shop));

        Loader loader = new Loader("p");
        result(cache.getOrLoad(shop, "product:1", loader));
        assertThat(result(cache.getOrLoad(shop, "product:1", loader))).isEqualTo("p#1");
    }

    @Test
    void a_read_after_this_instances_write_loads_again_even_before_the_invalidation_has_answered(PlatformEndpoints platform)
            throws Exception {
        connectTo(platform);
        ShopId shop = newShop();
        Loader loader = new Loader("p");
        result(cache.getOrLoad(shop, "product:1", loader));
        assertThat(result(cache.getOrLoad(shop, "product:1", loader))).isEqualTo("p#1");

        Future<Void> invalidation = cache.invalidateShop(shop); // not waited for: the write answers meanwhile
        String afterWrite = result(cache.getOrLoad(shop, "product:1", loader));

        assertThat(afterWrite).isEqualTo("p#2");
        assertThat(invalidation.succeeded()).isTrue();
    }

    @Test
    void another_instances_write_is_seen_here_once_the_held_version_is_older_than_its_max_age(PlatformEndpoints platform)
            throws Exception {
        AtomicLong clock = new AtomicLong();
        connectTo(platform);
        ProductCache here = new ProductCache(vertx, settings("127.0.0.1:" + platform.cell("cell-a").memcachedPort()),
                new PrometheusRegistry(), clock::get);
        try {
            await().atMost(Duration.ofSeconds(10)).until(here::available);
            ShopId shop = newShop();
            Loader loader = new Loader("p");
            result(here.getOrLoad(shop, "product:1", loader));

            result(cache.invalidateShop(shop)); // the other instance's write

            assertThat(result(here.getOrLoad(shop, "product:1", loader))).as("within the max age").isEqualTo("p#1");
            clock.addAndGet(MAX_AGE.toNanos());
            assertThat(result(here.getOrLoad(shop, "product:1", loader))).as("after the max age").isEqualTo("p#2");
        } finally {
            result(here.close());
        }
    }

    @Test
    void with_memcached_unreachable_reads_come_from_the_loader_within_200_ms_without_an_error() throws Exception {
        cache = newCache("127.0.0.1:" + closedPort());

        readsFallThroughQuickly();
    }

    @Test
    void with_memcached_unreachable_an_invalidation_reports_its_failure_in_the_future_at_once() throws Exception {
        cache = newCache("127.0.0.1:" + closedPort());

        Future<Void> invalidation = cache.invalidateShop(newShop());

        await().atMost(Duration.ofMillis(500)).until(invalidation::isComplete);
        assertThat(invalidation.failed()).isTrue();
        assertThat(lookups("error")).isEqualTo(1);
    }

    @Test
    void with_memcached_accepting_but_never_answering_reads_come_from_the_loader_within_200_ms() throws Exception {
        // A listening socket nobody accepts from: the kernel completes the connection, nothing ever answers.
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            cache = newCache("127.0.0.1:" + hung.getLocalPort());
            await().atMost(Duration.ofSeconds(10)).until(cache::available);

            readsFallThroughQuickly();
        }
    }

    private void readsFallThroughQuickly() throws Exception {
        ShopId shop = newShop();
        Loader loader = new Loader("from-mysql");
        for (int i = 1; i <= 20; i++) {
            long start = System.nanoTime();
            String json = result(cache.getOrLoad(shop, "product:1", loader));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(json).isEqualTo("from-mysql#" + i);
            assertThat(millis).as("read %d took %d ms", i, millis).isLessThan(200);
        }
        assertThat(lookups("error")).isEqualTo(20);
        assertThat(lookups("hit")).isZero();
    }

    private void connectTo(PlatformEndpoints platform) throws IOException {
        cache = newCache("127.0.0.1:" + platform.cell("cell-a").memcachedPort());
        // spymemcached connects in the background; with FailureMode.Cancel a read before that is a fall-through.
        await().atMost(Duration.ofSeconds(10)).until(cache::available);
    }

    private ProductCache newCache(String address) throws IOException {
        return new ProductCache(vertx, settings(address), registry);
    }

    private static CacheSettings settings(String address) {
        return new CacheSettings(address, Duration.ofMinutes(5), TIMEOUT, MAX_AGE);
    }

    /** A port nothing listens on: bound once by the kernel's choice, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static ShopId newShop() {
        return ShopId.of(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    }

    private double lookups(String result) {
        return registry.scrape().stream()
                .filter(snapshot -> snapshot.getMetadata().getName().equals("cellshop_product_cache_lookups"))
                .flatMap(snapshot -> ((CounterSnapshot) snapshot).getDataPoints().stream())
                .filter(point -> result.equals(point.getLabels().get("result")))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** A loader that answers "{json}#{call number}", so a test sees which call a value came from. */
    private static final class Loader implements Supplier<Future<String>> {
        private final String json;
        private final AtomicInteger calls = new AtomicInteger();

        Loader(String json) {
            this.json = json;
        }

        @Override
        public Future<String> get() {
            return Future.succeededFuture(json + "#" + calls.incrementAndGet());
        }

        int calls() {
            return calls.get();
        }
    }
}
