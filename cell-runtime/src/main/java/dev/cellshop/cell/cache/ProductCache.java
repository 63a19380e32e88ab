package dev.cellshop.cell.cache;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.shopstate.ShopStateKeys;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Read-through cache of product JSON in the cell's Memcached, namespaced per shop.
 *
 * <p>Every entry key carries two version numbers, so an increment of either orphans the entry;
 * orphans age out by TTL. The first is the shop's namespace ({@code ns:{shopId}}): one increment
 * drops all of a shop's entries (any merchant write). The second is narrower: a product's own
 * ({@code pv:{shopId}:{productId}}) for its detail, the shop's listing version ({@code lv:{shopId}})
 * for its product pages. A checkout moves only the versions of the products it sold and the
 * listing, so during a sale the other products' reads keep hitting the cache.
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
    /**
     * An invalidation may take longer than a read may wait: nobody waits on it but this
     * instance's next reads, and those are bounded by the read timeout themselves (they go to
     * MySQL meanwhile). At 75 ms, a loaded 2-core machine reported 17 of 1,400 invalidations
     * failed that Memcached carried out a little later.
     */
    private static final Duration INVALIDATION_TIMEOUT = Duration.ofSeconds(1);

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

    /**
     * The cached JSON for {@code suffix} of the shop's listing (product pages), or else the
     * loader's result, then stored for the TTL.
     */
    public Future<String> getOrLoad(ShopId shop, String suffix, Supplier<Future<String>> loader) {
        return getOrLoad(shop, listingKey(shop), suffix, loader);
    }

    /** The cached JSON of one product, or else the loader's result, then stored for the TTL. */
    public Future<String> getOrLoadProduct(ShopId shop, long productId, Supplier<Future<String>> loader) {
        return getOrLoad(shop, productKey(shop, productId), "product:" + productId, loader);
    }

    private Future<String> getOrLoad(ShopId shop, String scopeKey, String suffix, Supplier<Future<String>> loader) {
        return memcached.bounded(lookup(shop, scopeKey, suffix)).transform(found -> {
            if (found.failed()) {
                errors.inc();
                return load(loader);
            }
            if (found.result().json() != null) {
                hits.inc();
                return Future.succeededFuture(found.result().json());
            }
            misses.inc();
            // answered once the entry is stored (bounded, failures only counted): the next read,
            // even the same client's right after, finds it instead of racing the write
            return load(loader).compose(json -> store(found.result().key(), json).transform(stored -> Future.succeededFuture(json)));
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
        return bump(namespaceKey(shop)).onFailure(e -> errors.inc()).mapEmpty();
    }

    /**
     * After a stock change of these products only (a checkout): their details and the shop's
     * product pages are read anew, every other entry of the shop stays. Same timing and failure
     * as {@link #invalidateShop}.
     */
    public Future<Void> invalidateProducts(ShopId shop, Collection<Long> productIds) {
        List<Future<Long>> bumps = new ArrayList<>();
        bumps.add(bump(listingKey(shop)));
        for (long productId : productIds) {
            bumps.add(bump(productKey(shop, productId)));
        }
        return Future.all(bumps).onFailure(e -> errors.inc()).mapEmpty();
    }

    private Future<Long> bump(String versionKey) {
        Future<Long> bumped = memcached.bounded(memcached.incr(versionKey).compose(version -> version >= 0
                ? Future.succeededFuture(version)
                : createVersion(versionKey).compose(created -> created != null ? Future.succeededFuture(created) : memcached.incr(versionKey))),
                INVALIDATION_TIMEOUT);
        versions.moved(versionKey, bumped);
        return bumped;
    }

    /** Whether a connection to Memcached is up (for readiness; reads work either way). */
    public boolean available() {
        return memcached.available();
    }

    public Future<Void> close() {
        return memcached.close();
    }

    static String namespaceKey(ShopId shop) {
        return ShopStateKeys.cacheNamespace(shop);
    }

    static String listingKey(ShopId shop) {
        return "lv:" + shop;
    }

    static String productKey(ShopId shop, long productId) {
        return "pv:" + shop + ":" + productId;
    }

    static String entryKey(ShopId shop, long namespace, long scope, String suffix) {
        return "p:" + shop + ":" + namespace + "." + scope + ":" + suffix;
    }

    /** Memcached's text protocol takes keys of at most 250 bytes without spaces or control characters. */
    static boolean usableKey(String key) {
        return key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES
                && key.codePoints().noneMatch(c -> c <= ' ' || c == 0x7f);
    }

    private record Lookup(String key, String json) {
    }

    private Future<Lookup> lookup(ShopId shop, String scopeKey, String suffix) {
        Future<Long> namespace = version(namespaceKey(shop));
        Future<Long> scope = version(scopeKey);
        return Future.all(namespace, scope).compose(both -> {
            String key = entryKey(shop, namespace.result(), scope.result(), suffix);
            if (!usableKey(key)) {
                return Future.failedFuture(new IllegalArgumentException("not a usable Memcached key: " + key));
            }
            return memcached.get(key).map(value -> new Lookup(key, value instanceof String json ? json : null));
        });
    }

    private Future<Long> version(String versionKey) {
        return versions.version(versionKey, this::fetchVersion);
    }

    private Future<Long> fetchVersion(String key) {
        return memcached.get(key).compose(value -> value != null
                ? Future.succeededFuture(parseVersion(value))
                : createVersion(key).compose(created -> created != null
                        ? Future.succeededFuture(created)
                        : memcached.get(key).map(ProductCache::parseVersion)));
    }

    /**
     * Creates a missing version key; null when another instance created it first. It starts at
     * the current time in microseconds, not 0: after the key is evicted, a version from before is
     * not reused unless it moved more than a million times a second (a flash-sale product moves
     * about a thousand times a second).
     */
    private Future<Long> createVersion(String key) {
        long initial = System.currentTimeMillis() * 1_000;
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

    private Future<Boolean> store(String key, String json) {
        if (json == null) {
            return Future.succeededFuture(false);
        }
        return memcached.bounded(memcached.set(key, (int) settings.ttl().toSeconds(), json)).onComplete((stored, failure) -> {
            if (failure != null || !stored) {
                errors.inc();
            }
        });
    }
}
