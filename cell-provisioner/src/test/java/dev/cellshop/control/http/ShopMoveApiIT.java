package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** POST /v1/moves on the real platform: a live shop moves from cell-a to cell-b and its shoppers notice nothing. */
@ExtendWith(LocalPlatformExtension.class)
class ShopMoveApiIT {

    @Test
    void a_shop_moved_through_the_api_keeps_its_products_and_its_cart_checks_out_on_the_new_cell(PlatformEndpoints platform) {
        ControlPlaneApi api = new ControlPlaneApi(platform);
        ControlPlaneApi.Reply created = api.post("/v1/shops", Map.of("name", "Moving shop", "domain",
                "moving-" + System.nanoTime() + ".example.test", "cell", "cell-a"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String shop = created.json().get("shopId").asText();
        Map<String, String> asShop = Map.of("X-Shop-Id", shop);
        Map<String, String> asAdmin = Map.of("X-Shop-Id", shop, "Authorization", "Bearer " + created.json().get("adminToken").asText());
        await().atMost(Duration.ofSeconds(20)).until(() -> api.router("GET", "/api/v1/products", null, asShop).status() == 200);
        ControlPlaneApi.Reply product = api.router("POST", "/admin/v1/products",
                "{\"title\":\"Kettle\",\"variants\":[{\"sku\":\"k-1\",\"price\":{\"amount\":4999,\"currency\":\"EUR\"},\"inventory\":7}]}", asAdmin);
        assertThat(product.status()).as(product.body()).isEqualTo(201);
        String variant = product.json().get("variants").get(0).get("id").asText();
        String productId = product.json().get("id").asText();
        assertThat(price(api, shop, productId)).as("read (and cached) on cell-a before the move").isEqualTo(4999);
        String cart = api.router("POST", "/api/v1/carts", null, asShop).json().get("cartToken").asText();
        assertThat(api.router("POST", "/api/v1/carts/" + cart + "/items", "{\"variantId\":\"" + variant + "\",\"quantity\":2}", asShop)
                .status()).isEqualTo(200);

        ControlPlaneApi.Reply started = api.post("/v1/moves", Map.of("shopId", shop, "targetCell", "cell-b"));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String move = started.json().get("moveId").asText();
        JsonNode done = await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/v1/moves/" + move).json(),
                m -> m.get("phase").asText().equals("COMPLETED") || m.get("phase").asText().equals("ABORTED"));

        assertThat(done.get("phase").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.get("cutover").get("pauseMillis").asLong()).isPositive();
        assertThat(done.get("cutover").get("cartsCarried").asInt()).isEqualTo(1);
        JsonNode shown = api.get("/v1/shops/" + shop).json();
        assertThat(shown.get("cellId").asText()).isEqualTo("cell-b");
        assertThat(shown.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(shown.get("epoch").asLong()).isEqualTo(3);

        ControlPlaneApi.Reply read = api.router("GET", "/api/v1/products", null, asShop);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.raw().headers().firstValue("X-Cellshop-Cell")).contains("cell-b");
        assertThat(read.body()).contains("Kettle");
        ControlPlaneApi.Reply order = api.router("POST", "/api/v1/checkouts", "{\"cartToken\":\"" + cart + "\",\"email\":\"m@example.com\"}",
                Map.of("X-Shop-Id", shop, "Idempotency-Key", "after-the-move-" + shop));
        assertThat(order.status()).as("the cart made before the move: " + order.body()).isEqualTo(201);
        assertThat(order.raw().headers().firstValue("X-Cellshop-Cell")).contains("cell-b");

        // On cell-b the price changes; the shop moves back to cell-a, whose Memcached still holds
        // the product as it was read before the first move: the move back must not serve it.
        assertThat(api.router("PATCH", "/admin/v1/variants/" + variant, "{\"price\":{\"amount\":5999,\"currency\":\"EUR\"}}", asAdmin)
                .status()).isEqualTo(200);
        ControlPlaneApi.Reply back = api.post("/v1/moves", Map.of("shopId", shop, "targetCell", "cell-a"));
        assertThat(back.status()).as(back.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/v1/moves/" + back.json().get("moveId").asText()).json()
                .get("phase").asText(), phase -> phase.equals("COMPLETED") || phase.equals("ABORTED"));
        assertThat(api.get("/v1/shops/" + shop).json().get("cellId").asText()).isEqualTo("cell-a");
        assertThat(price(api, shop, productId)).as("no stale read from cell-a's cache after the move back").isEqualTo(5999);

        String metrics = api.call("GET", "/metrics", null, null).body();
        assertThat(metrics).contains("cellshop_moves_total{outcome=\"completed\"}", "cellshop_move_cutover_pause_seconds_count",
                "cellshop_moves_running", "cellshop_move_rows_copied_total");

        ControlPlaneApi.Reply again = api.post("/v1/moves", Map.of("shopId", shop, "targetCell", "cell-a"));
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.json().get("detail").asText()).contains("already on cell-a");
        ControlPlaneApi.Reply abortDone = api.post("/v1/moves/" + move + "/abort", Map.of());
        assertThat(abortDone.status()).isEqualTo(409);
        assertThat(api.post("/v1/moves", Map.of("shopId", "123456789", "targetCell", "cell-b")).status()).isEqualTo(404);
        assertThat(api.post("/v1/moves", Map.of("shopId", shop, "targetCell", "cell-zz")).status()).isEqualTo(404);
        assertThat(api.post("/v1/moves", Map.of("shopId", shop)).status()).isEqualTo(422);
        assertThat(api.get("/v1/moves/nope").status()).isEqualTo(404);
    }

    private static long price(ControlPlaneApi api, String shop, String productId) {
        ControlPlaneApi.Reply read = api.router("GET", "/api/v1/products/" + productId, null, Map.of("X-Shop-Id", shop));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        return read.json().get("variants").get(0).get("price").get("amount").asLong();
    }
}
