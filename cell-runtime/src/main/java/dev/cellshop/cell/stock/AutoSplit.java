package dev.cellshop.cell.stock;

import dev.cellshop.cell.fencing.ShopFence;
import dev.cellshop.kernel.id.ShopId;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.cellshop.cell.schema.SqlErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a variant under contention without the merchant: once this instance has committed
 * {@code stock.buckets.auto-split-rate} checkouts of one variant within one second, the variant's
 * stock is spread over {@code stock.buckets.auto-split-count} buckets (one transaction behind the
 * shop's fence, like the merchant's PUT; a variant already bucketed is left as it is). Per instance
 * and rate-based: a rate is what a hot row costs (each checkout holds its lock through a commit), and
 * counting this instance's own commits needs no shared state; with several instances the sale is
 * split a little later, never wrongly. {@link BucketMerger} merges it back once the sale is over.
 * Rate 0 (the default) turns it off.
 */
public final class AutoSplit {

    private static final Logger LOG = LoggerFactory.getLogger(AutoSplit.class);
    private static final long WINDOW_MILLIS = 1000;
    /** After a split (or finding the variant split already) the variant's count rests this long: one split per sale, not per second. */
    private static final long REST_MILLIS = Duration.ofSeconds(30).toMillis();
    /** Counters kept at most; past it they start afresh (a shop with more hot variants than this is not what a flash sale looks like). */
    private static final int MAX_TRACKED = 10_000;

    private record Key(long shop, long variant) {
    }

    private static final class Window {
        long start;
        int count;
        long restUntil;
    }

    /**
     * A split meets the sale's checkouts on the variants row, and InnoDB makes it, the smaller
     * transaction, the deadlock's victim each time (seen in StockBucketsIT: MariaDB's UPDATE of the row
     * also waits on a lock a checkout holds on the variants_product index): so it tries again after a
     * pause, up to this many times, rather than in a tight loop the burst always wins.
     */
    private static final int SPLIT_ATTEMPTS = 20;
    private static final long SPLIT_PAUSE_MILLIS = 100;

    private final Vertx vertx;
    private final ShopFence fence;
    private final int rate;
    private final int buckets;
    private final LongSupplier clock;
    private final Counter splits;
    private final Map<Key, Window> windows = new ConcurrentHashMap<>();

    public AutoSplit(Vertx vertx, ShopFence fence, int rate, int buckets, LongSupplier clock, PrometheusRegistry registry) {
        this.vertx = vertx;
        this.fence = fence;
        this.rate = rate;
        this.buckets = buckets;
        this.clock = clock;
        this.splits = Counter.builder().name("cellshop_stock_bucket_auto_splits_total")
                .help("variants split into stock buckets because their checkouts on one instance reached stock.buckets.auto-split-rate per second")
                .register(registry);
    }

    /** A checkout of these variants committed, routed at {@code epoch}. */
    public void sold(ShopId shop, long epoch, Collection<Long> variants) {
        if (rate <= 0) {
            return;
        }
        if (windows.size() > MAX_TRACKED) {
            windows.clear();
        }
        long now = clock.getAsLong();
        for (long variant : variants) {
            if (hot(windows.computeIfAbsent(new Key(shop.value(), variant), k -> new Window()), now)) {
                split(shop, epoch, variant, SPLIT_ATTEMPTS);
            }
        }
    }

    /** Counts one checkout; true exactly once when the window reaches the rate (the variant then rests). */
    private boolean hot(Window w, long now) {
        synchronized (w) {
            if (now < w.restUntil) {
                return false;
            }
            if (now - w.start >= WINDOW_MILLIS) {
                w.start = now;
                w.count = 0;
            }
            if (++w.count < rate) {
                return false;
            }
            w.restUntil = now + REST_MILLIS;
            return true;
        }
    }

    private void split(ShopId shop, long epoch, long variant, int attempts) {
        fence.writeReadCommitted(shop, epoch, conn -> StockBuckets.lock(conn, shop, variant).compose(locked -> locked.isEmpty() || !locked.get().buckets().isEmpty()
                        ? Future.succeededFuture(false)
                        : StockBuckets.spread(conn, shop, variant, buckets, null).map(true)))
                .onSuccess(split -> {
                    if (split) {
                        splits.inc();
                        LOG.info("event=stock_buckets_auto_split shop={} variant={} buckets={} ratePerSecond={}", shop.value(), variant, buckets, rate);
                    }
                })
                .onFailure(e -> {
                    if (SqlErrors.isDeadlock(e) && attempts > 1) {
                        vertx.setTimer(SPLIT_PAUSE_MILLIS, t -> split(shop, epoch, variant, attempts - 1));
                    } else {
                        LOG.warn("event=stock_buckets_auto_split_failed shop={} variant={} error=\"{}\"", shop.value(), variant, e.getMessage());
                    }
                });
    }
}
