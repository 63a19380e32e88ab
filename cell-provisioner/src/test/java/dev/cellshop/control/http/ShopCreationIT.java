package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Shop creation through the control plane's HTTP API on the real platform, checked through the router and the cells' shards. */
@ExtendWith(LocalPlatformExtension.class)
class ShopCreationIT {

    private static String domain(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12) + ".cellshop.test";
    }

    @Test
    void a_shop_created_through_the_api_is_served_by_its_cell_through_the_router_and_its_admin_token_works(
            PlatformEndpoints platform) {
        ControlPlaneApi api = new ControlPlaneApi(platform);
        String domain = domain("served");

        ControlPlaneApi.Reply created = api.createShop("Served shop", domain);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String shopId = created.json().get("shopId").asText();
        String cellId = created.json().get("cellId").asText();
        String token = created.json().get("adminToken").asText();
        assertThat(cellId).isIn("cell-a", "cell-b");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ControlPlaneApi.Reply products = api.router("GET", "/api/v1/products", null, Map.of("X-Shop-Id", shopId));
            assertThat(products.status()).as(products.body()).isEqualTo(200);
            assertThat(products.raw().headers().firstValue("X-Cellshop-Cell")).contains(cellId);
        });
        ControlPlaneApi.Reply byDomain = api.router("GET", "/api/v1/products", null, Map.of("Host", domain));
        assertThat(byDomain.status()).as("routed by its domain: " + byDomain.body()).isEqualTo(200);
        String product = "{\"title\":\"Tea\",\"variants\":[{\"sku\":\"tea-1\",\"price\":{\"amount\":1999,\"currency\":\"EUR\"},\"inventory\":5}]}";
        ControlPlaneApi.Reply admin = api.router("POST", "/admin/v1/products", product,
                Map.of("X-Shop-Id", shopId, "Authorization", "Bearer " + token));
        assertThat(admin.status()).as(admin.body()).isEqualTo(201);
        ControlPlaneApi.Reply wrongToken = api.router("POST", "/admin/v1/products", product,
                Map.of("X-Shop-Id", shopId, "Authorization", "Bearer adm_not-this-shops-token"));
        assertThat(wrongToken.status()).isEqualTo(401);

        JsonNode shown = api.get("/v1/shops/" + shopId).json();
        assertThat(shown.get("cellId").asText()).isEqualTo(cellId);
        assertThat(shown.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(shown.get("epoch").asLong()).isEqualTo(1);
        assertThat(shown.get("domain").asText()).isEqualTo(domain);
        assertThat(api.get("/v1/audit?limit=1000").json().findValuesAsText("subject")).contains("shop/" + shopId);
    }

    @Test
    void two_hundred_shops_created_by_eight_clients_land_spread_by_headroom_with_every_domain_unique_and_no_placement_lost(
            PlatformEndpoints platform) throws Exception {
        ControlPlaneApi api = new ControlPlaneApi(platform);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Future<ControlPlaneApi.Reply>> replies = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 200; i++) {
                String domain = "bulk-" + run + "-" + i + ".cellshop.test";
                replies.add(clients.submit(() -> api.createShop("Bulk shop", domain)));
            }
        }

        Map<String, Integer> placedOn = new HashMap<>();
        Set<String> shops = new HashSet<>();
        for (Future<ControlPlaneApi.Reply> reply : replies) {
            assertThat(reply.get().status()).as(reply.get().body()).isEqualTo(201);
            JsonNode created = reply.get().json();
            shops.add(created.get("shopId").asText());
            placedOn.merge(created.get("cellId").asText(), 1, Integer::sum);
        }
        assertThat(shops).as("every shop a new id").hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(api.get("/v1/shops/" + new ArrayList<>(shops).get(i)).status()).as("placement of every shop").isEqualTo(200);
        }
        assertThat(rowsWithDomainPrefix(platform, "bulk-" + run + "-")).as("one shop row per domain").isEqualTo(200);
        // the cells start level give or take the shops of other tests; headroom keeps them level
        Map<String, Integer> total = new HashMap<>();
        api.get("/v1/cells").json().forEach(c -> total.put(c.get("cellId").asText(), c.get("shops").asInt()));
        assertThat(Math.abs(total.get("cell-a") - total.get("cell-b"))).as("shops per cell after: " + total).isLessThanOrEqualTo(10);
        assertThat(placedOn.get("cell-a")).as("placed by this test: " + placedOn).isBetween(80, 120);
    }

    @Test
    void of_twenty_concurrent_creations_of_one_domain_exactly_one_wins_and_the_others_get_a_conflict(PlatformEndpoints platform)
            throws Exception {
        ControlPlaneApi api = new ControlPlaneApi(platform);
        String domain = domain("race");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ControlPlaneApi.Reply>> replies = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(20)) {
            IntStream.range(0, 20).forEach(i -> replies.add(clients.submit(() -> {
                start.await();
                return api.createShop("Racer " + i, domain);
            })));
            start.countDown();
        }

        List<Integer> statuses = new ArrayList<>();
        for (Future<ControlPlaneApi.Reply> reply : replies) {
            statuses.add(reply.get().status());
            if (reply.get().status() == 409) {
                assertThat(reply.get().raw().headers().firstValue("Content-Type")).contains("application/problem+json");
                assertThat(reply.get().json().get("detail").asText()).contains("domain " + domain + " is already taken");
            }
        }
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(19);
        assertThat(rowsWithDomainPrefix(platform, domain)).as("shop rows for the domain across cells").isEqualTo(1);
    }

    private static int rowsWithDomainPrefix(PlatformEndpoints platform, String prefix) throws Exception {
        int rows = 0;
        for (PlatformEndpoints.Cell cell : platform.cells()) {
            PlatformEndpoints.Mysql mysql = cell.mysql();
            try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                 PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM shops WHERE domain LIKE ?")) {
                s.setString(1, prefix + "%");
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    rows += rs.getInt(1);
                }
            }
        }
        return rows;
    }
}
