package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cell's life on the real test platform: {@code cell create cell-c} starts a third cell,
 * which is certified (canary checkout through the router) before it takes a shop; a cell
 * whose MySQL does not answer never passes and never gets a shop; drain stops placement,
 * retire refuses a cell that still holds shops. cell-c is stopped again at the end.
 */
@ExtendWith(LocalPlatformExtension.class)
class CellCertificationIT {

    @Test
    void cell_create_starts_a_third_local_cell_that_is_certified_takes_a_shop_serving_a_checkout_then_drains_and_refuses_retirement(
            LocalPlatform platform) {
        ControlPlaneApi api = new ControlPlaneApi(platform.endpoints());
        try {
            JsonNode created = jsonAfterProgress(platform.run("cell", "create", "cell-c", "--json"));

            assertThat(created.get("state").asText()).as(created.toString()).isEqualTo("ACTIVE");
            assertThat(created.get("stateReason").asText()).contains("certified: canary", "checkout", "through router");
            assertThat(platform.status()).filteredOn(c -> c.name().startsWith("cell-c/")).extracting(c -> c.name() + "=" + c.up())
                    .containsExactlyInAnyOrder("cell-c/mysql=true", "cell-c/redis=true", "cell-c/memcached=true", "cell-c/runtime-1=true");
            JsonNode shown = api.get("/v1/cells/cell-c").json();
            assertThat(shown.get("shops").asInt()).as("the canary is gone").isZero();
            assertThat(actionsOn(api, "cell/cell-c")).containsSubsequence("cell.register", "cell.certify.start", "cell.certify.passed");
            assertThat(actions(api)).contains("cell.certify.canary", "cell.certify.canary-removed");

            PlatformEndpoints endpoints = platform.endpoints();
            ControlPlaneApi.Reply shop = api.post("/v1/shops", Map.of("name", "On C", "domain", domain("on-c"), "cell", "cell-c"));
            assertThat(shop.status()).as(shop.body()).isEqualTo(201);
            assertThat(shop.json().get("cellId").asText()).isEqualTo("cell-c");
            ControlPlaneApi.Reply order = checkout(new ControlPlaneApi(endpoints), shop.json());
            assertThat(order.status()).as(order.body()).isEqualTo(201);
            assertThat(order.raw().headers().firstValue("X-Cellshop-Cell")).hasValue("cell-c");

            JsonNode drained = Json.read(platform.run("cell", "drain", "cell-c", "--no-move", "--json"), JsonNode.class);
            assertThat(drained.get("state").asText()).isEqualTo("DRAINING");
            ControlPlaneApi.Reply onDrained = api.post("/v1/shops", Map.of("name", "Late", "domain", domain("late"), "cell", "cell-c"));
            assertThat(onDrained.status()).as(onDrained.body()).isEqualTo(409);
            assertThat(placeTen(api)).doesNotContain("cell-c");
            ControlPlaneApi.Reply retire = api.post("/v1/cells/cell-c/retire", Map.of());
            assertThat(retire.status()).as(retire.body()).isEqualTo(409);
            assertThat(retire.json().get("detail").asText()).contains("cell-c still holds 1 shop");
            assertThat(actionsOn(api, "cell/cell-c")).contains("cell.drain").doesNotContain("cell.retire");
        } finally {
            // out of the pool for the tests that follow, then its processes stopped
            api.post("/v1/cells/cell-c/drain", Map.of());
            platform.run("cell-down", "cell-c");
        }
    }

    @Test
    void a_cell_whose_mysql_is_unreachable_fails_certification_naming_it_and_never_gets_a_shop(LocalPlatform local)
            throws IOException {
        PlatformEndpoints platform = local.endpoints();
        ControlPlaneApi api = new ControlPlaneApi(platform);
        int closed = closedPort();
        PlatformEndpoints.Cell a = platform.cell("cell-a");
        // its password where the control plane looks for it, so what fails is the connection
        Path password = local.stateDir().resolve("secrets/cells/cell-nomysql/mysql-password");
        Files.createDirectories(password.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (!Files.exists(password)) {
            Files.createFile(password, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(password, "not-a-real-password");
        }

        ControlPlaneApi.Reply register = api.post("/v1/cells", Map.of("cellId", "cell-nomysql", "mysql", "jdbc:mysql://127.0.0.1:"
                + closed + "/cellshop", "redis", a.redis(), "memcached", a.memcached()));

        String reason = "cell-nomysql mysql 127.0.0.1:" + closed + " unreachable";
        assertThat(register.status()).as(register.body()).isEqualTo(503);
        assertThat(register.json().get("detail").asText()).contains(reason);
        JsonNode cell = api.get("/v1/cells/cell-nomysql").json();
        assertThat(cell.get("state").asText()).isEqualTo("PROVISIONING");
        assertThat(cell.get("stateReason").asText()).startsWith("not certified: ").contains(reason);
        assertThat(actionsOn(api, "cell/cell-nomysql")).contains("cell.certify.failed");
        assertThat(placeTen(api)).doesNotContain("cell-nomysql");
        ControlPlaneApi.Reply pinned = api.post("/v1/shops", Map.of("name", "Pinned", "domain", domain("pinned"), "cell", "cell-nomysql"));
        assertThat(pinned.status()).as(pinned.body()).isEqualTo(409);
        assertThat(api.get("/v1/cells/cell-nomysql").json().get("shops").asInt()).isZero();
    }

    private static ControlPlaneApi.Reply checkout(ControlPlaneApi api, JsonNode shop) {
        Map<String, String> headers = Map.of("X-Shop-Id", shop.get("shopId").asText());
        Map<String, String> admin = new HashMap<>(headers);
        admin.put("Authorization", "Bearer " + shop.get("adminToken").asText());
        ControlPlaneApi.Reply product = await().atMost(Duration.ofSeconds(20)).until(() -> api.router("POST", "/admin/v1/products",
                """
                {"title": "Mug", "variants": [{"sku": "MUG-1", "price": {"amount": 1999, "currency": "EUR"}, "inventory": 3}]}""",
                admin), r -> r.status() == 201);
        String variant = product.json().path("variants").path(0).get("id").asText();
        String cart = api.router("POST", "/api/v1/carts", "{}", headers).json().get("cartToken").asText();
        ControlPlaneApi.Reply item = api.router("POST", "/api/v1/carts/" + cart + "/items",
                "{\"variantId\": \"" + variant + "\", \"quantity\": 1}", headers);
        assertThat(item.status()).as(item.body()).isBetween(200, 201);
        Map<String, String> checkout = new HashMap<>(headers);
        checkout.put("Idempotency-Key", UUID.randomUUID().toString());
        return api.router("POST", "/api/v1/checkouts", "{\"cartToken\": \"" + cart + "\", \"email\": \"c@example.test\"}", checkout);
    }

    /** The cells ten shops created without --cell land on. */
    private static List<String> placeTen(ControlPlaneApi api) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ControlPlaneApi.Reply shop = api.createShop("Pool " + i, domain("pool"));
            assertThat(shop.status()).as(shop.body()).isEqualTo(201);
            cells.add(shop.json().get("cellId").asText());
        }
        return cells;
    }

    private static List<String> actions(ControlPlaneApi api) {
        return api.get("/v1/audit?limit=1000").json().findValuesAsText("action");
    }

    private static List<String> actionsOn(ControlPlaneApi api, String subject) {
        List<String> actions = new ArrayList<>();
        api.get("/v1/audit?limit=1000").json().forEach(e -> {
            if (e.get("subject").asText().equals(subject)) {
                actions.add(e.get("action").asText());
            }
        });
        return actions;
    }

    /** The JSON document a command printed on stdout, after the launcher's progress lines (stderr, merged by the testkit). */
    private static JsonNode jsonAfterProgress(String output) {
        int start = output.startsWith("{") ? 0 : output.indexOf("\n{") + 1;
        return Json.read(output.substring(start), JsonNode.class);
    }

    private static String domain(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".cellshop.test";
    }

    /** A port nothing listens on: taken from the kernel, then let go (connections are refused at once). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
