package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/** What a shopper reads from the product cache around checkouts and merchant writes. */
class CatalogCacheIT extends CellApiTest {

    @Test
    void a_checkout_refreshes_the_products_it_sold_at_once_and_leaves_the_shops_other_products_cached() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        JsonObject sold = cell.product(shop, "SOLD", 1000, 10);
        JsonObject other = cell.product(shop, "OTHER", 1000, 10);
        String soldPath = "/api/v1/products/" + sold.getString("id");
        String otherPath = "/api/v1/products/" + other.getString("id");
        cell.send("GET", soldPath, shop, null);
        cell.send("GET", otherPath, shop, null);
        // Behind the cache's back: only a read that misses the cache can show this title.
        setTitle(shop, other.getString("id"), "changed behind the cache");

        String cart = cell.cart(shop, sold.getJsonArray("variants").getJsonObject(0).getString("id"), 3);
        assertThat(cell.checkout(shop, cart, "a@example.com", "sale-1").statusCode()).isEqualTo(201);

        assertThat(inventory(json(cell.send("GET", soldPath, shop, null)))).as("the sold product, read right after").isEqualTo(7);
        assertThat(json(cell.send("GET", otherPath, shop, null)).getString("title")).as("the other product, still cached").isEqualTo("OTHER");
        JsonObject page = json(cell.send("GET", "/api/v1/products", shop, null));
        assertThat(page.getJsonArray("products").stream().map(p -> (JsonObject) p)
                .filter(p -> p.getString("id").equals(sold.getString("id"))).map(CatalogCacheIT::inventory))
                .as("the product pages, read right after").containsExactly(7);
    }

    @Test
    void a_merchant_write_refreshes_every_product_of_the_shop_at_once() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        JsonObject changed = cell.product(shop, "CHANGED", 1000, 10);
        JsonObject other = cell.product(shop, "UNTOUCHED", 1000, 10);
        String otherPath = "/api/v1/products/" + other.getString("id");
        cell.send("GET", otherPath, shop, null);
        setTitle(shop, other.getString("id"), "changed behind the cache");

        String variant = changed.getJsonArray("variants").getJsonObject(0).getString("id");
        assertThat(cell.admin("PATCH", "/admin/v1/variants/" + variant, shop, "{\"inventory\": 5}").statusCode()).isEqualTo(200);

        assertThat(json(cell.send("GET", otherPath, shop, null)).getString("title")).isEqualTo("changed behind the cache");
        assertThat(inventory(json(cell.send("GET", "/api/v1/products/" + changed.getString("id"), shop, null)))).isEqualTo(5);
    }

    private static int inventory(JsonObject product) {
        return product.getJsonArray("variants").getJsonObject(0).getInteger("inventory");
    }

    private static void setTitle(RunningCell.Shop shop, String productId, String title) throws Exception {
        try (Connection c = DriverManager.getConnection(cell.mysql.jdbcUrl(), cell.mysql.user(), cell.mysql.password());
             PreparedStatement s = c.prepareStatement("UPDATE products SET title = ? WHERE shop_id = ? AND id = ?")) {
            s.setString(1, title);
            s.setLong(2, shop.id().value());
            s.setLong(3, Long.parseLong(productId));
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
