package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A FROZEN shop's requests wait at the router and go to the shop's new cell once it is ACTIVE there. */
@ExtendWith(LocalPlatformExtension.class)
class CutoverHoldIT {

    @Test
    void heldWritesAreDeliveredOnceToTheNewCell(PlatformEndpoints platform) throws Exception {
        try (RunningRouter router = new RunningRouter(platform, TopologyPaths.DEFAULT, Map.of("CELLSHOP_HOLD_TIMEOUT", "20s"))) {
            CellShops shops = new CellShops(platform, router);
            CellShops.Shop shop = shops.create("cell-a", "cell-b"); // its rows on both: an empty shop's move
            await().until(() -> router.client.get("/api/v1/products", shop.header()).status() == 200);

            router.place(shop.id(), "cell-a", PlacementState.FROZEN, 2);
            await().until(() -> router.client.get("/metrics", Map.of()).body().contains("cellshop_router_shops"));
            List<Future<Reply>> writes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                writes.add(router.client.send(HttpMethod.POST, "/admin/v1/products", shop.admin(), product("held-" + i)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> router.client.get("/metrics", Map.of()).body()
                    .contains("cellshop_router_held_requests 20.0"));
            assertThat(writes).noneMatch(Future::isComplete);

            router.place(shop.id(), "cell-b", PlacementState.ACTIVE, 3);
            for (Future<Reply> write : writes) {
                Reply reply = write.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(reply.status()).as("held write: %s", reply).isEqualTo(201);
                assertThat(reply.header("X-Cellshop-Cell")).isEqualTo("cell-b");
            }
            assertThat(shops.productsIn("cell-b", shop.id())).as("every held write, once").isEqualTo(20);
            assertThat(shops.productsIn("cell-a", shop.id())).as("nothing on the old cell").isZero();
        }
    }

    @Test
    void aHoldThatOutlastsItsBoundGets503WithRetryAfter(PlatformEndpoints platform) throws Exception {
        try (RunningRouter router = new RunningRouter(platform, TopologyPaths.DEFAULT, Map.of("CELLSHOP_HOLD_TIMEOUT", "1s"))) {
            CellShops shops = new CellShops(platform, router);
            CellShops.Shop shop = shops.create("cell-a");
            await().until(() -> router.client.get("/api/v1/products", shop.header()).status() == 200);
            router.place(shop.id(), "cell-a", PlacementState.FROZEN, 2);
            Reply reply = await().until(() -> router.client.get("/api/v1/products", shop.header()), r -> r.status() != 200);
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.header("Retry-After")).isEqualTo("1");
            assertThat(reply.nanos()).as("waited its bound").isBetween(TimeUnit.MILLISECONDS.toNanos(900), TimeUnit.SECONDS.toNanos(5));
            assertThat(reply.json().getString("detail")).contains("FROZEN");
        }
    }

    private static String product(String title) {
        return new JsonObject().put("title", title).put("variants", new JsonArray().add(new JsonObject()
                .put("sku", "sku-" + UUID.randomUUID()).put("price", new JsonObject().put("amount", 500).put("currency", "EUR"))
                .put("inventory", 1))).encode();
    }
}
