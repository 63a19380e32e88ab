package dev.cellshop.cell.stock;

import dev.cellshop.kernel.id.ShopId;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A checkout line's stock decrement, in the checkout's transaction (at READ COMMITTED, see
 * package-info).
 *
 * <p>Fast path: one conditional decrement of one row that held enough in the checkout's snapshot
 * read; buckets first, starting at a random one so concurrent buyers spread over them and going up
 * from it (never wrapping round: all attempts go in the one lock order), then the variants row. A row
 * found short (another buyer was quicker) stays locked to the end of the transaction (MariaDB keeps
 * it even at READ COMMITTED, seen in this project's race test), and the next is tried. Slow path,
 * when no row could take the whole quantity alone: lock every bucket and then the variants row, and
 * take from several rows if their sum suffices; only that sum being short is "sold out".
 *
 * <p>Deadlocks: all attempts follow one order (buckets up, then the variants row), except the slow
 * path of a checkout whose fast path already holds a higher bucket or the variants row (near sell-out,
 * or a split committed after its snapshot) when it asks for the lower ones. Only then can two
 * transactions deadlock; InnoDB rolls one back at once and
 * the checkout runs again ({@code ShopFence#writeReadCommittedRetryingDeadlocks}). So a quantity larger than any one bucket but not than the figure is
 * sold, and the figure is never oversold (each decrement keeps its {@code inventory >= q}).
 */
public final class StockTake {

    /** What the checkout's snapshot read saw of one variant's stock rows: its variants row and each bucket by number. */
    public static final class Seen {
        private int variantRow;
        private final TreeMap<Integer, Integer> buckets = new TreeMap<>();

        public void variantRow(int inventory) {
            this.variantRow = inventory;
        }

        public void bucket(int bucket, int inventory) {
            buckets.put(bucket, inventory);
        }

        public long total() {
            return variantRow + buckets.values().stream().mapToLong(Integer::longValue).sum();
        }

        /** The rows worth one conditional decrement of {@code quantity}: buckets up from a random one, then the variants row (-1). */
        List<Integer> candidates(int quantity) {
            List<Integer> full = buckets.entrySet().stream().filter(e -> e.getValue() >= quantity).map(e -> e.getKey()).toList();
            List<Integer> order = new ArrayList<>(full.isEmpty() ? List.of() : full.subList(ThreadLocalRandom.current().nextInt(full.size()), full.size()));
            if (variantRow >= quantity) {
                order.add(-1);
            }
            return order;
        }
    }

    private StockTake() {
    }

    /** Takes {@code quantity} of the variant; false (nothing taken) when its stock rows together hold less. */
    public static Future<Boolean> take(SqlConnection conn, ShopId shop, long variant, int quantity, Seen seen) {
        return tryEach(conn, shop, variant, quantity, seen.candidates(quantity), 0)
                .compose(taken -> taken ? Future.succeededFuture(true) : takeAcross(conn, shop, variant, quantity));
    }

    private static Future<Boolean> tryEach(SqlConnection conn, ShopId shop, long variant, int quantity, List<Integer> rows, int next) {
        if (next == rows.size()) {
            return Future.succeededFuture(false);
        }
        return decrement(conn, shop, variant, rows.get(next), quantity)
                .compose(taken -> taken ? Future.succeededFuture(true) : tryEach(conn, shop, variant, quantity, rows, next + 1));
    }

    /** The slow path: every row locked in the one order, then taken from the variants row first and the buckets by number. */
    private static Future<Boolean> takeAcross(SqlConnection conn, ShopId shop, long variant, int quantity) {
        return StockBuckets.lock(conn, shop, variant).compose(locked -> {
            if (locked.isEmpty() || locked.get().total() < quantity) {
                return Future.succeededFuture(false);
            }
            StockBuckets.Layout rows = locked.get();
            int left = quantity;
            Future<Boolean> chain = Future.succeededFuture(true);
            for (int row = -1; row < rows.buckets().size() && left > 0; row++) {
                int take = Math.min(left, row < 0 ? rows.variantRow() : rows.buckets().get(row));
                if (take > 0) {
                    int bucket = row;
                    chain = chain.compose(ok -> decrement(conn, shop, variant, bucket, take).map(done -> {
                        if (!done) {
                            throw new IllegalStateException("stock row " + bucket + " of variant " + variant + " changed under its lock");
                        }
                        return true;
                    }));
                    left -= take;
                }
            }
            return chain;
        });
    }

    /** {@code row} -1 is the variants row; the conditional decrement is the no-oversell guard either way. */
    private static Future<Boolean> decrement(SqlConnection conn, ShopId shop, long variant, int row, int quantity) {
        return (row < 0
                ? conn.preparedQuery("UPDATE variants SET inventory = inventory - ? WHERE shop_id = ? AND id = ? AND inventory >= ?")
                        .execute(Tuple.of(quantity, shop.value(), variant, quantity))
                : conn.preparedQuery("UPDATE variant_stock_buckets SET inventory = inventory - ? WHERE shop_id = ? AND variant_id = ? AND bucket = ? AND inventory >= ?")
                        .execute(Tuple.of(quantity, shop.value(), variant, row, quantity)))
                .map(result -> result.rowCount() == 1);
    }
}
