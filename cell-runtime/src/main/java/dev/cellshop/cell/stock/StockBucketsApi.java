package dev.cellshop.cell.stock;

import dev.cellshop.cell.fencing.ShopFence;
import dev.cellshop.cell.http.JsonBody;
import dev.cellshop.cell.http.Paging;
import dev.cellshop.cell.http.ShopContext;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Optional;

/**
 * The merchant's stock buckets of a variant: {@code GET|PUT|DELETE /admin/v1/variants/:id/stock-buckets}.
 * Each answers the variant's stock rows ({@link StockBuckets.Layout#json}); the stock figure itself
 * never changes by a split or a merge, so no cache entry needs dropping. A split during a sale may
 * meet a checkout's slow path in a deadlock: it runs at READ COMMITTED and again, as checkouts do.
 */
public final class StockBucketsApi {

    private final Pool pool;
    private final ShopFence fence;

    public StockBucketsApi(Pool pool, ShopFence fence) {
        this.pool = pool;
        this.fence = fence;
    }

    /** GET: the figure and each row, from one statement. */
    public void get(RoutingContext ctx) {
        long variant = Paging.pathId(ctx, "id", "variant");
        respond(ctx, StockBuckets.read(pool, ShopContext.shop(ctx), variant), variant);
    }

    /** PUT {"buckets": n}: the whole figure spread evenly over n buckets in one transaction (1: merged back). */
    public void put(RoutingContext ctx) {
        long variant = Paging.pathId(ctx, "id", "variant");
        int buckets = (int) JsonBody.of(ctx).wholeNumber("buckets", 1, StockBuckets.MAX_BUCKETS);
        spread(ctx, variant, buckets);
    }

    /** DELETE: merged back onto the variants row. */
    public void delete(RoutingContext ctx) {
        spread(ctx, Paging.pathId(ctx, "id", "variant"), 1);
    }

    private void spread(RoutingContext ctx, long variant, int buckets) {
        ShopId shop = ShopContext.shop(ctx);
        respond(ctx, fence.writeReadCommittedRetryingDeadlocks(shop, ShopContext.epoch(ctx), StockBuckets.DEADLOCK_ATTEMPTS,
                conn -> StockBuckets.spread(conn, shop, variant, buckets, null)), variant);
    }

    private static void respond(RoutingContext ctx, Future<Optional<StockBuckets.Layout>> result, long variant) {
        result.onSuccess(found -> found.ifPresentOrElse(layout -> ctx.json(layout.json()),
                        () -> ctx.fail(new ProblemException(Problem.notFound("no variant " + variant + " in this shop")))))
                .onFailure(ctx::fail);
    }
}
