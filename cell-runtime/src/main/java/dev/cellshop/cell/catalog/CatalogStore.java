package dev.cellshop.cell.catalog;

import dev.cellshop.cell.fencing.ShopFence;
import dev.cellshop.cell.stock.StockBuckets;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.money.Money;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Products and variants of a shop in the cell's MySQL shard. Every statement filters by shop_id. */
public final class CatalogStore {

    /** The stock figure is the variants row's plus its buckets' ({@link StockBuckets#STOCK}), in the same statement. */
    private static final String VARIANT_COLUMNS = "id, product_id, sku, price_amount, currency, " + StockBuckets.STOCK + " AS inventory";

    private final Pool pool;
    private final ShopFence fence;

    /** Writes go behind the shop's fence ({@link ShopFence}) at the epoch the router routed them under. */
    public CatalogStore(Pool pool, ShopFence fence) {
        this.pool = pool;
        this.fence = fence;
    }

    public record NewVariant(long id, String sku, Money price, int inventory) {
    }

    /** One transaction: a product and all its variants, or nothing. */
    public Future<JsonObject> create(ShopId shop, long epoch, long productId, String title, List<NewVariant> variants) {
        return fence.write(shop, epoch, conn -> conn
                .preparedQuery("INSERT INTO products (shop_id, id, title) VALUES (?, ?, ?)")
                .execute(Tuple.of(shop.value(), productId, title))
                .compose(ok -> conn.preparedQuery("INSERT INTO variants (shop_id, id, product_id, sku, price_amount, currency, inventory)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .executeBatch(variants.stream().map(v -> Tuple.of(shop.value(), v.id(), productId, v.sku(),
                                v.price().amountMinor(), v.price().currency().getCurrencyCode(), v.inventory())).toList()))
                .compose(ok -> product(conn, shop, productId)))
                .map(Optional::orElseThrow);
    }

    public Future<Optional<JsonObject>> product(ShopId shop, long productId) {
        return product(pool, shop, productId);
    }

    private Future<Optional<JsonObject>> product(SqlClient client, ShopId shop, long productId) {
        return client.preparedQuery("SELECT id, title FROM products WHERE shop_id = ? AND id = ?")
                .execute(Tuple.of(shop.value(), productId))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.empty())
                        : withVariants(client, shop, rows).map(list -> Optional.of(list.get(0))));
    }

    /** A page of products in id order, each with its variants: two queries, whatever the page size. */
    public Future<List<JsonObject>> page(ShopId shop, long afterId, int limit) {
        return pool.preparedQuery("SELECT id, title FROM products WHERE shop_id = ? AND id > ? ORDER BY id LIMIT ?")
                .execute(Tuple.of(shop.value(), afterId, limit))
                .compose(rows -> withVariants(pool, shop, rows));
    }

    /** Which of {@code skus} a variant of the shop has, in SKU order. */
    public Future<List<String>> existingSkus(ShopId shop, Collection<String> skus) {
        List<Object> args = new ArrayList<>();
        args.add(shop.value());
        args.addAll(skus);
        return pool.preparedQuery("SELECT sku FROM variants WHERE shop_id = ? AND sku IN (" + String.join(",", Collections.nCopies(skus.size(), "?"))
                        + ") ORDER BY sku")
                .execute(Tuple.from(args))
                .map(rows -> {
                    List<String> taken = new ArrayList<>();
                    rows.forEach(row -> taken.add(row.getString("sku")));
                    return taken;
                });
    }

    public Future<Optional<JsonObject>> variant(ShopId shop, long variantId) {
        return variant(pool, shop, variantId);
    }

    private static Future<Optional<JsonObject>> variant(SqlClient client, ShopId shop, long variantId) {
        return client.preparedQuery("SELECT " + VARIANT_COLUMNS + " FROM variants WHERE shop_id = ? AND id = ?")
                .execute(Tuple.of(shop.value(), variantId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(variantJson(rows.iterator().next())));
    }

    /**
     * Sets price and/or inventory (null leaves a field as it is). The inventory is the stock
     * figure: a bucketed variant's is spread evenly over its buckets ({@link StockBuckets#spread}).
     * Empty when the variant is not the shop's.
     */
    public Future<Optional<JsonObject>> updateVariant(ShopId shop, long epoch, long variantId, Money price, Integer inventory) {
        // the stock first: it locks the buckets before the variants row, the one order of every stock writer
        return fence.write(shop, epoch, conn -> (inventory == null ? Future.succeededFuture() : StockBuckets.spread(conn, shop, variantId, null, inventory))
                .compose(stocked -> price == null ? Future.succeededFuture()
                        : conn.preparedQuery("UPDATE variants SET price_amount = ?, currency = ? WHERE shop_id = ? AND id = ?")
                        .execute(Tuple.of(price.amountMinor(), price.currency().getCurrencyCode(), shop.value(), variantId)))
                .compose(done -> variant(conn, shop, variantId)));
    }

    private Future<List<JsonObject>> withVariants(SqlClient client, ShopId shop, RowSet<Row> products) {
        Map<Long, JsonObject> byId = new LinkedHashMap<>();
        for (Row row : products) {
            byId.put(row.getLong("id"), new JsonObject().put("id", Long.toString(row.getLong("id")))
                    .put("title", row.getString("title")).put("variants", new JsonArray()));
        }
        if (byId.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        String marks = String.join(",", java.util.Collections.nCopies(byId.size(), "?"));
        List<Object> args = new ArrayList<>();
        args.add(shop.value());
        args.addAll(byId.keySet());
        return client.preparedQuery("SELECT " + VARIANT_COLUMNS + " FROM variants WHERE shop_id = ? AND product_id IN (" + marks + ") ORDER BY id")
                .execute(Tuple.from(args))
                .map(rows -> {
                    for (Row row : rows) {
                        byId.get(row.getLong("product_id")).getJsonArray("variants").add(variantJson(row));
                    }
                    return List.copyOf(byId.values());
                });
    }

    static JsonObject variantJson(Row row) {
        return new JsonObject()
                .put("id", Long.toString(row.getLong("id")))
                .put("productId", Long.toString(row.getLong("product_id")))
                .put("sku", row.getString("sku"))
                .put("price", new JsonObject().put("amount", row.getLong("price_amount")).put("currency", row.getString("currency")))
                .put("inventory", row.getInteger("inventory"));
    }
}
