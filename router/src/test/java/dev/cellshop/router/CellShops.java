package dev.cellshop.router;

import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.signing.Digests;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

/**
 * Shops on the test platform's real cells, made the way the control plane makes them: the
 * shop's row and hashed admin token in a cell's shard, its placement and domain in ZooKeeper.
 */
final class CellShops {

    record Shop(ShopId id, String domain, String adminToken) {
        Map<String, String> header() {
            return Map.of("X-Shop-Id", id.toString());
        }

        Map<String, String> admin() {
            return Map.of("X-Shop-Id", id.toString(), "Authorization", "Bearer " + adminToken);
        }
    }

    private final PlatformEndpoints platform;
    private final RunningRouter router;

    CellShops(PlatformEndpoints platform, RunningRouter router) {
        this.platform = platform;
        this.router = router;
    }

    /** A shop placed ACTIVE at epoch 1 on {@code cell}, with its rows also in {@code alsoOn} (a move's target). */
    Shop create(String cell, String... alsoOn) throws Exception {
        ShopId id = RunningRouter.newShopId();
        String domain = "shop-" + id.value() + ".cellshop.test";
        String token = "adm_" + UUID.randomUUID();
        insertRows(cell, id, domain, token);
        for (String other : alsoOn) {
            insertRows(other, id, domain, token);
        }
        router.domain(domain, id);
        router.place(id, cell, PlacementState.ACTIVE, 1);
        return new Shop(id, domain, token);
    }

    /** A shop on {@code cell} that the router already serves. */
    Shop createServed(String cell) throws Exception {
        Shop shop = create(cell);
        await().until(() -> router.client.get("/api/v1/products", shop.header()).status() == 200);
        return shop;
    }

    /** Product-list reads for the shop, {@code concurrency} at a time, until closed. */
    Load readLoad(Shop shop, int concurrency) {
        return new Load(router.client, "/api/v1/products", shop.header(), concurrency);
    }

    /** Creates a product with one variant through the router; returns the variant id. */
    String product(Shop shop, String title, int inventory) {
        String body = new JsonObject().put("title", title).put("variants", new JsonArray().add(new JsonObject()
                .put("sku", "sku-" + UUID.randomUUID()).put("price", new JsonObject().put("amount", 1999).put("currency", "EUR"))
                .put("inventory", inventory))).encode();
        Reply reply = router.client.call(HttpMethod.POST, "/admin/v1/products", shop.admin(), body);
        if (reply.status() != 201) {
            throw new IllegalStateException("creating a product failed: " + reply);
        }
        return reply.json().getJsonArray("variants").getJsonObject(0).getString("id");
    }

    /** How many products the shop has in {@code cell}'s shard (read there directly, not through any router). */
    int productsIn(String cell, ShopId shop) throws Exception {
        PlatformEndpoints.Mysql mysql = platform.cell(cell).mysql();
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM products WHERE shop_id = ?")) {
            s.setLong(1, shop.value());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void insertRows(String cell, ShopId id, String domain, String token) throws Exception {
        PlatformEndpoints.Mysql mysql = platform.cell(cell).mysql();
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password())) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO shops (shop_id, name, domain, currency) VALUES (?, ?, ?, 'EUR')")) {
                s.setLong(1, id.value());
                s.setString(2, "router test shop " + id.value());
                s.setString(3, domain);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO shop_admin_tokens (shop_id, token_sha256) VALUES (?, ?)")) {
                s.setLong(1, id.value());
                s.setBytes(2, Digests.sha256(token));
                s.executeUpdate();
            }
        }
    }
}
