package dev.cellshop.cell.api;

import dev.cellshop.cell.CellRuntimeTestAccess;
import dev.cellshop.cell.http.AdminAuth;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** A real cell-runtime instance on cell-a of the test platform, and a client that speaks to it as a router would. */
final class RunningCell implements AutoCloseable {

    final PlatformEndpoints.Mysql mysql;
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    RunningCell(PlatformEndpoints platform) throws Exception {
        PlatformEndpoints.Cell cell = platform.cell("cell-a");
        this.mysql = cell.mysql();
        Map<String, String> env = Map.of(
                "CELLSHOP_CELL_ID", "cell-a",
                "CELLSHOP_HTTP_PORT", "0",
                "CELLSHOP_MYSQL_PORT", Integer.toString(mysql.port()),
                "CELLSHOP_MYSQL_PASSWORD", mysql.password(),
                "CELLSHOP_REDIS_URL", cell.redis(),
                "CELLSHOP_ZOOKEEPER_CONNECT", platform.zookeeper());
        this.port = CellRuntimeTestAccess.deploy(vertx, env).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    record Shop(ShopId id, String adminToken) {
    }

    /** What the control plane does when it places a shop here: its row and its (hashed) admin token. */
    Shop createShop() throws Exception {
        ShopId shop = ShopId.of(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
        String token = "adm_" + UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password())) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO shops (shop_id, name, domain, currency) VALUES (?, ?, ?, 'EUR')")) {
                s.setLong(1, shop.value());
                s.setString(2, "it shop " + shop.value());
                s.setString(3, "shop-" + shop.value() + ".test");
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO shop_admin_tokens (shop_id, token_sha256) VALUES (?, ?)")) {
                s.setLong(1, shop.value());
                s.setBytes(2, AdminAuth.sha256(token));
                s.executeUpdate();
            }
        }
        return new Shop(shop, token);
    }

    HttpResponse<String> send(String method, String path, Shop shop, String body, String... headers) {
        return sendAsync(method, path, shop, body, headers).join();
    }

    CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, Shop shop, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (shop != null) {
            request.header("X-Cellshop-Shop-Id", Long.toString(shop.id().value()));
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> admin(String method, String path, Shop shop, String body) {
        return send(method, path, shop, body, "Authorization", "Bearer " + shop.adminToken());
    }

    static JsonObject json(HttpResponse<String> response) {
        return new JsonObject(response.body());
    }

    long queryLong(String sql, Object... args) throws Exception {
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
