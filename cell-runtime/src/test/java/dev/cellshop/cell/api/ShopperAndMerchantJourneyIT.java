package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ShopperAndMerchantJourneyIT extends CellApiTest {

    @Test
    void a_merchant_lists_a_product_a_shopper_buys_it_and_the_merchant_pays_and_fulfills_the_order() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        HttpResponse<String> created = cell.admin("POST", "/admin/v1/products", shop, """
                {"title": "Mug", "variants": [
                  {"sku": "MUG-RED", "price": {"amount": 1999, "currency": "EUR"}, "inventory": 10},
                  {"sku": "MUG-BLUE", "price": {"amount": 2499, "currency": "EUR"}, "inventory": 5}]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject product = json(created);
        String red = product.getJsonArray("variants").getJsonObject(0).getString("id");
        String blue = product.getJsonArray("variants").getJsonObject(1).getString("id");

        JsonObject page = json(cell.send("GET", "/api/v1/products", shop, null));
        assertThat(page.getJsonArray("products").size()).isEqualTo(1);
        assertThat(json(cell.send("GET", "/api/v1/products/" + product.getString("id"), shop, null)).getString("title")).isEqualTo("Mug");

        String cart = json(cell.send("POST", "/api/v1/carts", shop, null)).getString("cartToken");
        assertThat(cell.send("POST", "/api/v1/carts/" + cart + "/items", shop, "{\"variantId\": \"" + red + "\", \"quantity\": 2}").statusCode()).isEqualTo(200);
        JsonObject cartJson = json(cell.send("POST", "/api/v1/carts/" + cart + "/items", shop, "{\"variantId\": \"" + blue + "\", \"quantity\": 1}"));
        assertThat(cartJson.getJsonArray("items").size()).isEqualTo(2);

        HttpResponse<String> checkout = cell.send("POST", "/api/v1/checkouts", shop,
                "{\"cartToken\": \"" + cart + "\", \"email\": \"ada@example.com\"}", "Idempotency-Key", "journey-1");
        assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(201);
        JsonObject order = json(checkout);
        assertThat(order.getString("status")).isEqualTo("PENDING");
        assertThat(order.getJsonObject("total").getLong("amount")).isEqualTo(2 * 1999 + 2499);
        assertThat(cell.queryLong("SELECT inventory FROM variants WHERE shop_id = ? AND id = ?", shop.id().value(), Long.parseLong(red))).isEqualTo(8);
        assertThat(cell.send("GET", "/api/v1/carts/" + cart, shop, null).statusCode()).as("the cart is gone after checkout").isEqualTo(404);

        JsonObject stored = order.copy();
        stored.remove("orderToken");
        assertThat(json(cell.readOrder(shop, order))).as("the shopper's read, with the order's token").isEqualTo(stored);
        assertThat(json(cell.admin("GET", "/admin/v1/orders/" + order.getString("id"), shop, null))).as("the merchant's read").isEqualTo(stored);
        assertThat(json(cell.admin("GET", "/admin/v1/orders", shop, null)).getJsonArray("orders").getJsonObject(0).getString("id"))
                .isEqualTo(order.getString("id"));

        assertThat(json(cell.admin("POST", "/admin/v1/orders/" + order.getString("id") + "/pay", shop, null)).getString("status")).isEqualTo("PAID");
        assertThat(json(cell.admin("POST", "/admin/v1/orders/" + order.getString("id") + "/fulfill", shop, null)).getString("status")).isEqualTo("FULFILLED");
        HttpResponse<String> illegal = cell.admin("POST", "/admin/v1/orders/" + order.getString("id") + "/cancel", shop, null);
        assertThat(illegal.statusCode()).isEqualTo(409);
        assertThat(illegal.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(illegal).getString("detail")).isEqualTo("cannot cancel an order that is FULFILLED");
        assertThat(cell.orderEvents(shop, 3)).as("the relay published every event of the order to Kafka")
                .extracting(e -> e.getString("type")).containsExactly("order.created", "order.paid", "order.fulfilled");
    }

    @Test
    void cancelling_a_paid_order_puts_its_stock_back_and_a_merchant_can_change_price_and_inventory() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "TEE", 1500, 3);
        String cart = json(cell.send("POST", "/api/v1/carts", shop, null)).getString("cartToken");
        cell.send("POST", "/api/v1/carts/" + cart + "/items", shop, "{\"variantId\": " + variant + ", \"quantity\": 3}");
        String orderId = json(cell.send("POST", "/api/v1/checkouts", shop,
                "{\"cartToken\": \"" + cart + "\", \"email\": \"bo@example.com\"}", "Idempotency-Key", "c-1")).getString("id");
        assertThat(cell.queryLong("SELECT inventory FROM variants WHERE shop_id = ? AND id = ?", shop.id().value(), Long.parseLong(variant))).isZero();

        cell.admin("POST", "/admin/v1/orders/" + orderId + "/pay", shop, null);
        assertThat(json(cell.admin("POST", "/admin/v1/orders/" + orderId + "/cancel", shop, null)).getString("status")).isEqualTo("CANCELLED");

        assertThat(cell.queryLong("SELECT inventory FROM variants WHERE shop_id = ? AND id = ?", shop.id().value(), Long.parseLong(variant))).isEqualTo(3);
        JsonObject patched = json(cell.admin("PATCH", "/admin/v1/variants/" + variant, shop,
                "{\"price\": {\"amount\": 1700, \"currency\": \"EUR\"}, \"inventory\": 7}"));
        assertThat(patched.getJsonObject("price").getLong("amount")).isEqualTo(1700);
        assertThat(patched.getInteger("inventory")).isEqualTo(7);
    }

    @Test
    void metrics_show_requests_per_route_checkouts_cache_lookups_and_outbox_lag_and_ready_names_its_checks() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "M", 100, 1);
        String cart = cell.cart(shop, variant, 1);
        cell.send("POST", "/api/v1/checkouts", shop, "{\"cartToken\": \"" + cart + "\", \"email\": \"m@example.com\"}", "Idempotency-Key", "m-1");
        cell.send("GET", "/api/v1/products", shop, null);

        String metrics = cell.send("GET", "/metrics", null, null).body();
        HttpResponse<String> ready = cell.send("GET", "/ready", null, null);

        assertThat(metrics)
                .contains("cellshop_cell_http_requests_total{method=\"POST\",route=\"/api/v1/checkouts\",status=\"201\"}")
                .contains("cellshop_cell_http_request_duration_seconds_bucket{route=\"/api/v1/products\",le=\"0.05\"}")
                .contains("cellshop_checkouts_total{result=\"created\"}")
                .contains("cellshop_product_cache_lookups_total{result=\"miss\"}")
                .contains("cellshop_outbox_lag_seconds");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).getJsonObject("checks").fieldNames()).containsExactly("mysql", "redis", "placements", "ids");
    }

    @Test
    void products_page_through_a_cursor_and_the_page_size_is_capped() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        for (int i = 0; i < 5; i++) {
            cell.admin("POST", "/admin/v1/products", shop, "{\"title\": \"P" + i + "\", \"variants\": [{\"sku\": \"S" + i
                    + "\", \"price\": {\"amount\": 100, \"currency\": \"EUR\"}, \"inventory\": 1}]}");
        }
        JsonObject first = json(cell.send("GET", "/api/v1/products?limit=3", shop, null));
        JsonObject second = json(cell.send("GET", "/api/v1/products?limit=3&cursor=" + first.getString("nextCursor"), shop, null));

        assertThat(first.getJsonArray("products").size()).isEqualTo(3);
        assertThat(second.getJsonArray("products").size()).isEqualTo(2);
        assertThat(second.containsKey("nextCursor")).isFalse();
        assertThat(cell.send("GET", "/api/v1/products?limit=101", shop, null).statusCode()).isEqualTo(400);
    }
}
