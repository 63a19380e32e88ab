package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.testkit.ComponentStatus;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The control plane, which runs the mover, killed with SIGKILL in the middle of a copy: a
 * restart resumes it from its checkpoint. Killed in the middle of a cutover
 * (the shop FROZEN, its events still in the source's outbox): started again, it resumes the
 * move, and the shop ends ACTIVE on exactly one cell with every order it took, each order's
 * event delivered.
 */
@ExtendWith(LocalPlatformExtension.class)
class MoverCrashIT {

    private static final long CATALOGUE = 300_000;

    /** Whatever a test stopped or killed runs again for the next tests, also when it failed half way. */
    @AfterEach
    void restore() {
        LocalPlatform.shared().start("kafka");
        LocalPlatform.shared().start("control-plane");
    }

    @Test
    void a_mover_killed_during_the_cutover_resumes_and_the_shop_ends_active_on_one_cell_with_all_its_orders(PlatformEndpoints platform)
            throws Exception {
        ControlPlaneApi api = new ControlPlaneApi(platform);
        ControlPlaneApi.Reply created = api.shopOn("cell-a", "Crash shop");
        String shop = created.json().get("shopId").asText();
        Map<String, String> asAdmin = Map.of("X-Shop-Id", shop, "Authorization", "Bearer " + created.json().get("adminToken").asText());
        ControlPlaneApi.Reply product = api.router("POST", "/admin/v1/products",
                "{\"title\":\"Lamp\",\"variants\":[{\"sku\":\"l-1\",\"price\":{\"amount\":1500,\"currency\":\"EUR\"},\"inventory\":20}]}", asAdmin);
        assertThat(product.status()).as(product.body()).isEqualTo(201);
        long variant = product.json().get("variants").get(0).get("id").asLong();
        LocalPlatform local = LocalPlatform.shared();
        ProcessHandle controlPlane = process(local, "control-plane");
        List<String> orders = new ArrayList<>();
        Map<String, String> tokens = new HashMap<>(); // each order's orderToken, which the shopper's read needs
        String move;
        local.stop("kafka");
        try {
            // Kafka down: the orders' events wait in cell-a's outbox, so the cutover, which waits for
            // the source's outbox to drain, stays in its pause (shop FROZEN) long enough to be killed.
            for (int i = 0; i < 3; i++) {
                JsonNode order = checkout(api, shop, variant, "before-" + i).json();
                orders.add(order.get("id").asText());
                tokens.put(order.get("id").asText(), order.get("orderToken").asText());
            }
            ControlPlaneApi.Reply started = api.post("/v1/moves", Map.of("shopId", shop, "targetCell", "cell-b"));
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            move = started.json().get("moveId").asText();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> api.get("/v1/moves/" + move).json().get("phase").asText(), "CUTTING_OVER"::equals);
            assertThat(api.get("/v1/shops/" + shop).json().get("state").asText()).isEqualTo("FROZEN");

            controlPlane.destroyForcibly(); // SIGKILL, as a crash: no shutdown hook runs, the mover stops where it is
            await().atMost(Duration.ofSeconds(10)).until(() -> !controlPlane.isAlive());
        } finally {
            local.start("kafka");
        }

        local.start("control-plane");
        JsonNode ended = await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/v1/moves/" + move).json(),
                m -> m.get("phase").asText().equals("COMPLETED") || m.get("phase").asText().equals("ABORTED"));

        JsonNode placement = api.get("/v1/shops/" + shop).json();
        assertThat(placement.get("state").asText()).isEqualTo("ACTIVE");
        String home = placement.get("cellId").asText();
        String other = home.equals("cell-a") ? "cell-b" : "cell-a";
        assertThat(home).as("resumed: " + ended).isEqualTo(ended.get("phase").asText().equals("COMPLETED") ? "cell-b" : "cell-a");
        assertThat(ordersOf(platform, home, shop)).as("every order on the cell the shop is on").containsExactlyInAnyOrderElementsOf(orders);
        assertThat(ordersOf(platform, other, shop)).as("nothing left on the other cell").isEmpty();
        ControlPlaneApi.Reply after = checkout(api, shop, variant, "after");
        assertThat(after.raw().headers().firstValue("X-Cellshop-Cell")).contains(home);
        orders.add(after.json().get("id").asText());
        tokens.put(after.json().get("id").asText(), after.json().get("orderToken").asText());
        for (String order : orders) {
            assertThat(api.router("GET", "/api/v1/orders/" + order, null, Map.of("X-Shop-Id", shop, "X-Order-Token", tokens.get(order))).status())
                    .isEqualTo(200);
        }
        OrderEvents.Created events = OrderEvents.awaitCreated(platform, shop, orders, Duration.ofSeconds(60));
        assertThat(events.timesByOrder().keySet()).as("every order announced once or more (repeats by event id only)")
                .containsExactlyInAnyOrderElementsOf(orders);
        assertThat(ended.get("phase").asText()).as(ended.toString()).isEqualTo("COMPLETED");
    }

    @Test
    void a_mover_killed_during_the_copy_resumes_from_its_checkpoint_and_completes_with_every_row(PlatformEndpoints platform)
            throws Exception {
        ControlPlaneApi api = new ControlPlaneApi(platform);
        ControlPlaneApi.Reply created = api.shopOn("cell-a", "Copy crash shop");
        String shop = created.json().get("shopId").asText();
        CellRows.seedCatalogue(platform, "cell-a", shop, CATALOGUE);
        LocalPlatform local = LocalPlatform.shared();
        ProcessHandle controlPlane = process(local, "control-plane");

        ControlPlaneApi.Reply started = api.post("/v1/moves", Map.of("shopId", shop, "targetCell", "cell-b"));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String move = started.json().get("moveId").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> api.get("/v1/moves/" + move).json(),
                        m -> m.get("phase").asText().equals("COPYING") && m.path("tables").path("products").path("copied").asLong() > 0);
        controlPlane.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !controlPlane.isAlive());
        assertThat(CellRows.products(platform, "cell-b", shop)).as("the copy was cut half way").isBetween(1L, CATALOGUE - 1L);

        local.start("control-plane");
        JsonNode ended = await().atMost(Duration.ofSeconds(120)).until(() -> api.get("/v1/moves/" + move).json(),
                m -> m.get("phase").asText().equals("COMPLETED") || m.get("phase").asText().equals("ABORTED"));

        assertThat(ended.get("phase").asText()).as(ended.toString()).isEqualTo("COMPLETED");
        assertThat(api.get("/v1/shops/" + shop).json().get("cellId").asText()).isEqualTo("cell-b");
        assertThat(CellRows.products(platform, "cell-b", shop)).isEqualTo(CATALOGUE);
        assertThat(CellRows.products(platform, "cell-a", shop)).isZero();
        ControlPlaneApi.Reply read = api.router("GET", "/api/v1/products/" + CATALOGUE, null, Map.of("X-Shop-Id", shop));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.raw().headers().firstValue("X-Cellshop-Cell")).contains("cell-b");
    }

    private static ControlPlaneApi.Reply checkout(ControlPlaneApi api, String shop, long variant, String key) {
        Map<String, String> asShop = Map.of("X-Shop-Id", shop);
        String cart = api.router("POST", "/api/v1/carts", null, asShop).json().get("cartToken").asText();
        ControlPlaneApi.Reply added = api.router("POST", "/api/v1/carts/" + cart + "/items",
                "{\"variantId\":\"" + variant + "\",\"quantity\":1}", asShop);
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        ControlPlaneApi.Reply order = api.router("POST", "/api/v1/checkouts", "{\"cartToken\":\"" + cart + "\",\"email\":\"c@example.com\"}",
                Map.of("X-Shop-Id", shop, "Idempotency-Key", key + "-" + shop));
        assertThat(order.status()).as(order.body()).isEqualTo(201);
        return order;
    }

    private static ProcessHandle process(LocalPlatform local, String component) {
        long pid = local.status().stream().filter(c -> c.name().equals(component)).map(ComponentStatus::pid).findFirst().orElseThrow();
        return ProcessHandle.of(pid).orElseThrow();
    }

    private static List<String> ordersOf(PlatformEndpoints platform, String cell, String shop) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = CellRows.connect(platform, cell); PreparedStatement s = c.prepareStatement("SELECT id FROM orders WHERE shop_id = ?")) {
            s.setLong(1, Long.parseLong(shop));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
