package dev.cellshop.cell.stock;

import dev.cellshop.cell.fencing.PlacementView;
import dev.cellshop.cell.fencing.ShopFence;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges a sale's buckets back once it is over: every {@code stock.buckets.merge-check}, the
 * variants of this cell whose buckets all stayed unchanged (no checkout took from them, no split)
 * for {@code stock.buckets.merge-after} go back onto their variants row, one transaction each,
 * behind the shop's fence at the epoch this instance's placement view holds (a shop not served
 * here is left alone: its rows are moving or gone). Every instance of the cell runs it; two merging
 * the same variant serialise on its row locks, and the second finds nothing left to merge.
 * A merge is safe at any time (the figure stays what it was); merging only idle variants keeps a
 * running sale spread over its buckets.
 */
public final class BucketMerger {

    private static final Logger LOG = LoggerFactory.getLogger(BucketMerger.class);
    private static final int VARIANTS_PER_ROUND = 100;

    private final Vertx vertx;
    private final Pool pool;
    private final ShopFence fence;
    private final PlacementView placements;
    private final CellId cell;
    private final Duration mergeAfter;
    private final Duration every;
    private final Counter merges;
    private long timer = -1;
    private boolean stopped;

    public BucketMerger(Vertx vertx, Pool pool, ShopFence fence, PlacementView placements, CellId cell, Duration mergeAfter, Duration every,
                        PrometheusRegistry registry) {
        this.vertx = vertx;
        this.pool = pool;
        this.fence = fence;
        this.placements = placements;
        this.cell = cell;
        this.mergeAfter = mergeAfter;
        this.every = every;
        this.merges = Counter.builder().name("cellshop_stock_bucket_merges_total")
                .help("variants whose stock buckets were merged back onto the variant after standing idle for stock.buckets.merge-after")
                .register(registry);
    }

    public void start() {
        schedule();
    }

    public void stop() {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    private void schedule() {
        if (!stopped) {
            timer = vertx.setTimer(every.toMillis(), id -> round().onComplete(done -> schedule()));
        }
    }

    /** One pass over the idle bucketed variants; failures are logged and the next round tries again. */
    Future<Void> round() {
        return pool.preparedQuery("SELECT shop_id, variant_id FROM variant_stock_buckets GROUP BY shop_id, variant_id"
                        + " HAVING MAX(updated_at) < " + idleSince() + " LIMIT " + VARIANTS_PER_ROUND)
                .execute(Tuple.of(mergeAfter.toNanos() / 1000))
                .compose(rows -> {
                    Future<Void> chain = Future.succeededFuture();
                    List<Row> idle = new ArrayList<>();
                    rows.forEach(idle::add);
                    for (Row row : idle) {
                        chain = chain.compose(v -> merge(ShopId.of(row.getLong("shop_id")), row.getLong("variant_id")));
                    }
                    return chain;
                })
                .onFailure(e -> LOG.warn("event=stock_bucket_merge_failed error=\"{}\" (retried next round)", e.getMessage()))
                .otherwiseEmpty();
    }

    private Future<Void> merge(ShopId shop, long variant) {
        Placement placement = placements.placement(shop);
        if (placement == null || !placement.servesOn(cell, placement.epoch())) {
            return Future.succeededFuture();
        }
        return fence.writeReadCommittedRetryingDeadlocks(shop, placement.epoch(), StockBuckets.DEADLOCK_ATTEMPTS, conn -> StockBuckets.lock(conn, shop, variant)
                        .compose(locked -> stillIdle(conn, shop, variant))
                        .compose(idle -> idle ? StockBuckets.spread(conn, shop, variant, 1, null).map(true) : Future.succeededFuture(false)))
                .onSuccess(merged -> {
                    if (merged) {
                        merges.inc();
                        LOG.info("event=stock_buckets_merged shop={} variant={} idleFor=\"{}\"", shop.value(), variant, mergeAfter);
                    }
                })
                .mapEmpty();
    }

    /** Under the rows' locks: a checkout that took from a bucket since the round's read keeps the buckets for another round. */
    private Future<Boolean> stillIdle(SqlConnection conn, ShopId shop, long variant) {
        return conn.preparedQuery("SELECT COUNT(*) AS busy FROM variant_stock_buckets WHERE shop_id = ? AND variant_id = ? AND updated_at >= " + idleSince())
                .execute(Tuple.of(shop.value(), variant, mergeAfter.toNanos() / 1000))
                .map(rows -> rows.iterator().next().getLong("busy") == 0);
    }

    private static String idleSince() {
        return "TIMESTAMPADD(MICROSECOND, -?, NOW(3))";
    }
}
