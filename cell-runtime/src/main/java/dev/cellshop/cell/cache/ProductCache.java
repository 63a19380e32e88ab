package dev.cellshop.cell.cache;

import dev.cellshop.kernel.id.ShopId;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Read-through cache of product JSON in the cell's Memcached, namespaced per shop.
 *
 * <p>Every entry key carries the shop's namespace version ({@code ns:{shopId}}), so one
 * increment of that number orphans all of a shop's entries at once; orphans age out by TTL.
 * Memcached is an optimisation only: when it is down, slow or refuses a key, a read goes to
 * the loader, counted as an error, and never fails because of the cache.
 *
 * <p>Namespace versions are held in the process for {@link CacheSettings#versionMaxAge()}
 * ({@link HeldVersions} states the staleness that allows): a cached read is one Memcached get.
 *
 * <p>Construct at start, off the event loop: it resolves the address and starts spymemcached's IO thread.
 */
public final class ProductCache {

    private static final int MAX_KEY_BYTES = 250;

    private final CacheSettings settings;
    private final AsyncMemcached memcached;
    private final HeldVersions versions;
    private final CounterDataPoint hits;
    private final CounterDataPoint misses;
    private final CounterDataPoint errors;

    public ProductCache(Vertx vertx, CacheSettings settings, PrometheusRegistry registry) throws IOException {
        this(vertx, settings, registry, System::nanoTime);
    }

    ProductCache(Vertx vertx, CacheSettings settings, PrometheusRegistry registry, LongSupplier nanoClock) throws IOException {
        this.settings = settings;
        this.memcached = new AsyncMemcached(vertx, settings.address(), settings.timeout());
        this.versions = new HeldVersions(settings.versionMaxAge().toNanos(), nanoClock);
        Counter lookups = Counter.builder().name("cellshop_product_cache_lookups_total")
                .help("Product cache lookups by result; hit ratio = hit / (hit + miss), error = Memcached unusable")
                .labelNames("result").register(registry);
        this.hits = lookups.labelValues("hit");
        this.misses = lookups.labelValues("miss");
        this.errors = lookups.labelValues("error");
    }

    /** The cached JSON for {@code suffix} of the shop, or else the loader's result, then stored for the TTL. */
    public Future<String> getOrLoad(ShopId shop, String suffix, Supplier<Future<String>> loader) {
        return memcached.bounded(lookup(shop, suffix)).transform(found -> {
            if (found.failed()) {
                errors.inc();
                return load(loader);
            }
            if (found.result().json() != null) {
                hits.inc();
                return Future.succeededFuture(found.result().json());
            }
            misses.inc();
            return load(loader).onSuccess(json -> store(found.result().key(), json));
        });
    }

    /**
     * Moves the shop to a new namespace version, so no earlier entry of the shop is read again:
     * on this instance from the next read on (call it before answering the write), elsewhere
     * within the version max age. Call it after the write commits: a reader that loaded before the
     * commit stored its entry under the old version. Fails when Memcached is unusable; stale
     * entries then live at most one TTL, so a writer should log that, not fail its response.
     */
    public Future<Void> invalidateShop(ShopId shop) {
        String key = namespaceKey(shop);
        Future<Long> bumped = memcached.bounded(memcached.incr(key).compose(version -> version >= 0
                ? Future.succeededFuture(version)
                : createNamespace(key).compose(created -> created != null ? Future.succeededFuture(created) : memcached.incr(key))));
        versions.moved(key, bumped);
        return bumped.onFailure(e -> errors.inc()).mapEmpty();
    }

    /** Whether a connection to Memcached is up (for readiness; reads work either way). */
    public boolean available() {
        return memcached.available();
    }

    public Future<Void> close() {
        return memcached.close();
    }

    static String namespaceKey(ShopId shop) {
        return "ns:" + shop;
    }

    static String entryKey(ShopId shop, long version, String suffix) {
        return "p:" + shop + ":" + version + ":" + suffix;
    }

    /** Memcached's text protocol takes keys of at most 250 bytes without spaces or control characters. */
    static boolean usableKey(String key) {
        return key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES
                && key.codePoints().noneMatch(c -> c <= ' ' || c == 0x7f);
    }

    private record Lookup(String key, String json) {
    }

    private Future<Lookup> lookup(ShopId shop, String suffix) {
        return version(shop).compose(version -> {
            String key = entryKey(shop, version, suffix);
            if (!usableKey(key)) {
                return Future.failedFuture(new IllegalArgumentException("not a usable Memcached key: " + key));
            }
            return memcached.get(key).map(value -> new Lookup(key, value instanceof String json ? json : null));
        });
    }

    private Future<Long> version(ShopId shop) {
        return versions.version(namespaceKey(shop), this::fetchVersion);
    }

    private Future<Long> fetchVersion(String key) {
        return memcached.get(key).compose(value -> value != null
                ? Future.succeededFuture(parseVersion(value))
                : createNamespace(key).compose(created -> created != null
                        ? Future.succeededFuture(created)
                        : memcached.get(key).map(ProductCache::parseVersion)));
    }

    /**
     * Creates a missing namespace; null when another instance created it first. It starts at
     * the current time in milliseconds, not 0: after the namespace key is evicted, a version
     * from before is not reused unless the shop had more than 1,000 invalidations a second.
     */
    private Future<Long> createNamespace(String key) {
        long initial = System.currentTimeMillis();
        return memcached.add(key, 0, Long.toString(initial)).map(added -> added ? initial : null);
    }

    private static long parseVersion(Object value) {
        return Long.parseLong(value.toString().trim()); // incr pads with spaces when a number shrinks
    }

    private static Future<String> load(Supplier<Future<String>> loader) {
        try {
            return loader.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private void store(String key, String json) {
        if (json != null) {
            memcached.set(key, (int) settings.ttl().toSeconds(), json).onComplete((stored, failure) -> {
                if (failure != null || !stored) {
                    errors.inc();
                }
            });
        }
    }
}
