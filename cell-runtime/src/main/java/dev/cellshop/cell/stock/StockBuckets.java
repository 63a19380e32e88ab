package dev.cellshop.cell.stock;

import dev.cellshop.kernel.id.ShopId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A variant's stock rows (the variants row and its buckets): the figure, and the moves between them. See package-info. */
public final class StockBuckets {

    /** The most buckets one variant may have: past the connections that can run checkouts at once, more buys nothing. */
    public static final int MAX_BUCKETS = 64;

    /**
     * How often a stock write (a checkout, a split, a merge) is run in all when InnoDB makes it a
     * deadlock's victim: rare, and only where a checkout's slow path meets another writer (StockTake).
     */
    public static final int DEADLOCK_ATTEMPTS = 4;

    /** The stock figure of the {@code variants} row in scope, for a SELECT on it: one statement, so one consistent snapshot. */
    public static final String STOCK = "CAST(variants.inventory + COALESCE((SELECT SUM(b.inventory) FROM variant_stock_buckets b"
            + " WHERE b.shop_id = variants.shop_id AND b.variant_id = variants.id), 0) AS SIGNED)";

    private StockBuckets() {
    }

    /** A variant's stock rows: what its variants row holds and what each bucket holds, by bucket number. */
    public record Layout(long variantId, int variantRow, List<Integer> buckets) {

        public Layout {
            buckets = List.copyOf(buckets);
        }

        public long total() {
            return variantRow + buckets.stream().mapToLong(Integer::longValue).sum();
        }

        public JsonObject json() {
            return new JsonObject().put("variantId", Long.toString(variantId)).put("inventory", total()).put("buckets", buckets.size())
                    .put("bucketInventory", new JsonArray(new ArrayList<>(buckets))).put("variantRowInventory", variantRow);
        }
    }

    /** The variant's layout in one statement (one snapshot); empty when the shop has no such variant. */
    public static Future<Optional<Layout>> read(SqlClient client, ShopId shop, long variant) {
        return client.preparedQuery("SELECT -1 AS bucket, inventory FROM variants WHERE shop_id = ? AND id = ?"
                        + " UNION ALL SELECT bucket, inventory FROM variant_stock_buckets WHERE shop_id = ? AND variant_id = ? ORDER BY bucket")
                .execute(Tuple.of(shop.value(), variant, shop.value(), variant))
                .map(rows -> {
                    Integer variantRow = null;
                    List<Integer> buckets = new ArrayList<>();
                    for (var row : rows) {
                        if (row.getInteger("bucket") < 0) {
                            variantRow = row.getInteger("inventory");
                        } else {
                            buckets.add(row.getInteger("inventory"));
                        }
                    }
                    return variantRow == null ? Optional.empty() : Optional.of(new Layout(variant, variantRow, buckets));
                });
    }

    /**
     * Locks the variant's stock rows in the one order every writer uses (the buckets by number,
     * then the variants row) and returns them; empty when the shop has no such variant.
     */
    static Future<Optional<Layout>> lock(SqlConnection conn, ShopId shop, long variant) {
        return conn.preparedQuery("SELECT bucket, inventory FROM variant_stock_buckets WHERE shop_id = ? AND variant_id = ? ORDER BY bucket FOR UPDATE")
                .execute(Tuple.of(shop.value(), variant))
                .compose(bucketRows -> conn.preparedQuery("SELECT inventory FROM variants WHERE shop_id = ? AND id = ? FOR UPDATE")
                        .execute(Tuple.of(shop.value(), variant))
                        .map(home -> {
                            if (home.size() == 0) {
                                return Optional.<Layout>empty();
                            }
                            List<Integer> buckets = new ArrayList<>();
                            // buckets are numbered 0..n-1 by every split; a gap would only shift which bucket takes what
                            bucketRows.forEach(row -> buckets.add(row.getInteger("inventory")));
                            return Optional.of(new Layout(variant, home.iterator().next().getInteger("inventory"), buckets));
                        }));
    }

    /**
     * In the caller's transaction: spreads the variant's stock evenly over {@code buckets} buckets
     * (null: as many as it has now; 1 or 0: none, all of it on the variants row, a merge) and, when
     * {@code total} is given, sets the stock figure to it (a merchant's inventory). The first
     * {@code total % n} buckets get one unit more. Empty when the shop has no such variant.
     */
    public static Future<Optional<Layout>> spread(SqlConnection conn, ShopId shop, long variant, Integer buckets, Integer total) {
        return lock(conn, shop, variant).compose(locked -> {
            if (locked.isEmpty()) {
                return Future.succeededFuture(Optional.<Layout>empty());
            }
            int n = buckets != null ? buckets : locked.get().buckets().size();
            int figure = total != null ? total : Math.toIntExact(locked.get().total());
            Layout after = layout(variant, n, figure);
            List<Tuple> rows = new ArrayList<>();
            for (int b = 0; b < after.buckets().size(); b++) {
                rows.add(Tuple.of(shop.value(), variant, b, after.buckets().get(b)));
            }
            Future<?> write = conn.preparedQuery("UPDATE variants SET inventory = ? WHERE shop_id = ? AND id = ?")
                    .execute(Tuple.of(after.variantRow(), shop.value(), variant))
                    .compose(v -> conn.preparedQuery("DELETE FROM variant_stock_buckets WHERE shop_id = ? AND variant_id = ? AND bucket >= ?")
                            .execute(Tuple.of(shop.value(), variant, rows.size())));
            if (!rows.isEmpty()) {
                // updated_at set even where the count is unchanged: a fresh split starts its idle clock (BucketMerger)
                write = write.compose(v -> conn.preparedQuery("INSERT INTO variant_stock_buckets (shop_id, variant_id, bucket, inventory) VALUES (?, ?, ?, ?)"
                                + " ON DUPLICATE KEY UPDATE inventory = VALUES(inventory), updated_at = CURRENT_TIMESTAMP(3)")
                        .executeBatch(rows));
            }
            return write.map(v -> Optional.of(after));
        });
    }

    /** {@code figure} spread over {@code buckets} buckets (1 or fewer: all on the variants row). */
    static Layout layout(long variant, int buckets, int figure) {
        if (buckets <= 1) {
            return new Layout(variant, figure, List.of());
        }
        List<Integer> spread = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            spread.add(figure / buckets + (b < figure % buckets ? 1 : 0));
        }
        return new Layout(variant, 0, spread);
    }
}
