package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code cell drain} empties a cell: a fourth local cell with 20 shops, one of them under a
 * shopper's load through the router, is drained; every shop ends on cell-a or cell-b, the
 * shopper saw no failed request, and the empty cell retires.
 */
@ExtendWith(LocalPlatformExtension.class)
class CellEvacuationIT {

    private static final int SHOPS = 20;

    @Test
    void draining_a_cell_moves_its_twenty_shops_off_under_load_and_it_retires_empty(LocalPlatform platform) throws Exception {
        ControlPlaneApi api = new ControlPlaneApi(platform.endpoints());
        try {
            String created = platform.run("cell", "create", "cell-d", "--json");
            assertThat(created).contains("\"state\" : \"ACTIVE\"");
            List<String> shops = new ArrayList<>();
            MoveUnderLoadIT.Shopper busy = MoveUnderLoadIT.shopWithStock(api, "cell-d");
            shops.add(busy.shop);
            for (int i = 1; i < SHOPS; i++) {
                ControlPlaneApi.Reply shop = api.post("/v1/shops", Map.of("name", "Drained " + i, "domain",
                        "drained-" + UUID.randomUUID().toString().substring(0, 8) + ".cellshop.test", "cell", "cell-d"));
                assertThat(shop.status()).as(shop.body()).isEqualTo(201);
                shops.add(shop.json().get("shopId").asText());
            }
            Thread load = Thread.ofPlatform().name("load-drained").start(busy);
            String drained;
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> busy.rounds.get() >= 3);
                drained = platform.run("cell", "drain", "cell-d");
                int after = busy.rounds.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> busy.rounds.get() >= after + 3);
            } finally {
                busy.stop.set(true);
                load.join(Duration.ofSeconds(60));
            }

            assertThat(drained).contains("moving its " + SHOPS + " shop(s) off", "[" + SHOPS + "/" + SHOPS + "]").doesNotContain("ABORTED");
            for (String shop : shops) {
                assertThat(api.get("/v1/shops/" + shop).json().get("cellId").asText()).as("shop " + shop).isIn("cell-a", "cell-b");
            }
            assertThat(busy.failures).as("requests of the shop under load").isEmpty();
            JsonNode product = api.router("GET", "/api/v1/products/" + busy.product, null, Map.of("X-Shop-Id", busy.shop)).json();
            assertThat(product.get("variants").get(0).get("inventory").asInt()).isEqualTo(MoveUnderLoadIT.STOCK - busy.orders.size());
            JsonNode retired = Json.read(platform.run("cell", "retire", "cell-d", "--json"), JsonNode.class);
            assertThat(retired.get("state").asText()).isEqualTo("RETIRED");
        } finally {
            api.post("/v1/cells/cell-d/drain", Map.of());
            platform.run("cell-down", "cell-d");
        }
    }
}
