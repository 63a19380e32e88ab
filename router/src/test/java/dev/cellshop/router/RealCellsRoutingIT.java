package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Shoppers and merchants of two cells, through a router, reach their own cell-runtime, which accepts the router's signature. */
@ExtendWith(LocalPlatformExtension.class)
class RealCellsRoutingIT {

    private static RunningRouter router;
    private static CellShops shops;

    @BeforeAll
    static void start(PlatformEndpoints platform) throws Exception {
        router = new RunningRouter(platform, TopologyPaths.DEFAULT, Map.of());
        shops = new CellShops(platform, router);
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @Test
    void aShopperChecksOutOnEachCellByDomainAndByHeader() throws Exception {
        CellShops.Shop onA = shops.create("cell-a");
        CellShops.Shop onB = shops.create("cell-b");
        await().until(() -> router.client.get("/api/v1/products", onB.header()).status() == 200);

        String variantA = shops.product(onA, "Lamp", 5);
        String variantB = shops.product(onB, "Chair", 5);
        assertThat(shops.productsIn("cell-a", onA.id())).isEqualTo(1);
        assertThat(shops.productsIn("cell-b", onB.id())).isEqualTo(1);
        assertThat(shops.productsIn("cell-a", onB.id())).isZero();

        Reply byDomain = router.client.get("/api/v1/products", Map.of("Host", onA.domain()));
        assertThat(byDomain.status()).isEqualTo(200);
        assertThat(byDomain.header("X-Cellshop-Cell")).isEqualTo("cell-a");
        assertThat(byDomain.body()).contains("Lamp").doesNotContain("Chair");

        assertThat(checkout(Map.of("Host", onA.domain()), variantA).header("X-Cellshop-Cell")).isEqualTo("cell-a");
        assertThat(checkout(onB.header(), variantB).header("X-Cellshop-Cell")).isEqualTo("cell-b");
    }

    @Test
    void thePlatformsOwnRouterRoutesTheSameShopsSideBySide(PlatformEndpoints platform) throws Exception {
        CellShops.Shop onB = shops.create("cell-b");
        int launchedPort = Integer.parseInt(platform.router().substring(platform.router().lastIndexOf(':') + 1));
        try (TestClient launched = new TestClient(router.vertx, launchedPort)) {
            Reply viaLaunched = await().until(() -> launched.get("/api/v1/products", onB.header()), r -> r.status() == 200);
            Reply viaOurs = await().until(() -> router.client.get("/api/v1/products", onB.header()), r -> r.status() == 200);
            assertThat(viaLaunched.header("X-Cellshop-Cell")).isEqualTo("cell-b").isEqualTo(viaOurs.header("X-Cellshop-Cell"));
            assertThat(viaLaunched.body()).isEqualTo(viaOurs.body());
        }
        assertThat(router.curator.getChildren().forPath(TopologyPaths.DEFAULT.routers())).as("both registered").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aShopsAdminTokenOpensNoOtherShopThroughTheRouter() throws Exception {
        CellShops.Shop mine = shops.create("cell-a");
        CellShops.Shop theirs = shops.create("cell-a");
        await().until(() -> router.client.get("/api/v1/products", theirs.header()).status() == 200);
        Map<String, String> wrongToken = new HashMap<>(theirs.header());
        wrongToken.put("Authorization", "Bearer " + mine.adminToken());
        Reply reply = router.client.get("/admin/v1/orders", wrongToken);
        assertThat(reply.status()).isIn(401, 403);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
    }

    private static Reply checkout(Map<String, String> shop, String variant) {
        Reply cart = router.client.call(HttpMethod.POST, "/api/v1/carts", shop, "{}");
        assertThat(cart.status()).as("cart: %s", cart).isEqualTo(201);
        String token = cart.json().getString("cartToken");
        Reply item = router.client.call(HttpMethod.POST, "/api/v1/carts/" + token + "/items", shop,
                new JsonObject().put("variantId", variant).put("quantity", 1).encode());
        assertThat(item.status()).as("item: %s", item).isBetween(200, 201);
        Map<String, String> headers = new HashMap<>(shop);
        headers.put("Idempotency-Key", UUID.randomUUID().toString());
        String body = new JsonObject().put("cartToken", token).put("email", "a@example.test").encode();
        Reply order = router.client.call(HttpMethod.POST, "/api/v1/checkouts", headers, body);
        assertThat(order.status()).as("checkout: %s", order).isEqualTo(201);
        Reply again = router.client.call(HttpMethod.POST, "/api/v1/checkouts", headers, body);
        assertThat(again.json().getString("id")).as("the same key returns the same order").isEqualTo(order.json().getString("id"));
        return order;
    }
}
