package dev.cellshop.cell.api;

import static org.awaitility.Awaitility.await;

import dev.cellshop.cell.CellRuntimeTestAccess;
import dev.cellshop.cell.ShopRows;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.signing.BodyDigest;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.signing.SignedRequest;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
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

    static final String SECRET = "integration-test-signing-secret-0123456789";

    final PlatformEndpoints.Mysql mysql;
    final PlatformEndpoints platform;
    final RequestSignature signature;
    final CuratorFramework curator;
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String deploymentId;
    final int port;
    private final Map<ShopId, Long> epochs = new ConcurrentHashMap<>();

    RunningCell(PlatformEndpoints platform) throws Exception {
        this(platform, Map.of());
    }

    RunningCell(PlatformEndpoints platform, Map<String, String> overrides) throws Exception {
        this.platform = platform;
        PlatformEndpoints.Cell cell = platform.cell("cell-a");
        this.mysql = cell.mysql();
        Map<String, String> env = new HashMap<>(Map.of(
                "CELLSHOP_CELL_ID", "cell-a",
                "CELLSHOP_HTTP_PORT", "0",
                "CELLSHOP_SIGNING_SECRET", SECRET,
                "CELLSHOP_MYSQL_PORT", Integer.toString(mysql.port()),
                "CELLSHOP_MYSQL_PASSWORD", mysql.password(),
                "CELLSHOP_REDIS_URL", cell.redis(),
                "CELLSHOP_MEMCACHED_ADDRESS", cell.memcached(),
                "CELLSHOP_KAFKA_BOOTSTRAP", platform.kafka(),
                "CELLSHOP_ZOOKEEPER_CONNECT", platform.zookeeper()));
        // The API tests race thousands of requests through one shop: the limit is tested on its own (RateLimitIT).
        env.put("CELLSHOP_RATELIMIT_CAPACITY", "10000000");
        env.put("CELLSHOP_RATELIMIT_REFILL_PER_SECOND", "10000000");
        env.putAll(overrides);
        // signs as the routers of this instance's secret do (a test may give it the platform's own)
        this.signature = new RequestSignature(env.get("CELLSHOP_SIGNING_SECRET").getBytes(StandardCharsets.UTF_8));
        this.curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5));
        curator.start();
        CellRuntimeTestAccess.Deployed deployed = CellRuntimeTestAccess.deploy(vertx, env).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        this.deploymentId = deployed.deploymentId();
        this.port = deployed.port();
    }

    record Shop(ShopId id, String adminToken) {
    }

    /** What the control plane does when it places a shop here: its row, its (hashed) admin token, its placement. */
    Shop createShop() throws Exception {
        return createShop(ShopId.of(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)));
    }

    /** The instance's id in ZooKeeper (under its cell's instances), as the runtime names itself by default. */
    String instanceId() {
        return "cell-a-" + port;
    }

    Shop createShop(ShopId id) throws Exception {
        Shop created = createShopRows(id);
        place(created, Placement.initial(CellId.of("cell-a")));
        return created;
    }

    /** Writes the shop's placement and waits until this cell serves by it (or refuses, as the placement says). */
    void place(Shop shop, Placement placement) throws Exception {
        String path = TopologyPaths.DEFAULT.shop(shop.id());
        if (curator.checkExists().forPath(path) == null) {
            curator.create().creatingParentContainersIfNeeded().forPath(path, Json.writeBytes(placement));
        } else {
            curator.setData().forPath(path, Json.writeBytes(placement));
        }
        epochs.put(shop.id(), placement.epoch());
        boolean served = placement.servesOn(CellId.of("cell-a"), placement.epoch());
        await().atMost(Duration.ofSeconds(10)).until(() -> (send("GET", "/api/v1/products", shop, null).statusCode() == 200) == served);
    }

    private Shop createShopRows(ShopId shop) throws Exception {
        return new Shop(shop, ShopRows.insert(mysql, shop, "it"));
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
            List<String> given = List.of(headers);
            int epochAt = given.indexOf(RequestSignature.EPOCH_HEADER);
            long epoch = epochAt >= 0 ? Long.parseLong(headers[epochAt + 1]) : epochs.getOrDefault(shop.id(), 1L);
            request.header(RequestSignature.SHOP_ID_HEADER, Long.toString(shop.id().value()));
            if (epochAt < 0) {
                request.header(RequestSignature.EPOCH_HEADER, Long.toString(epoch));
            }
            long now = System.currentTimeMillis();
            // The given headers stand in for the signed ones of the same name (a test's forged or stale signature).
            signed(shop.id(), epoch, now, method, path, body, headers).forEach((name, value) -> {
                if (!name.equals(RequestSignature.SHOP_ID_HEADER) && !name.equals(RequestSignature.EPOCH_HEADER) && !given.contains(name)) {
                    request.header(name, value);
                }
            });
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The router's headers for this request as a router would sign it: body, Authorization and Idempotency-Key included. */
    Map<String, String> signed(ShopId shop, long epoch, long now, String method, String path, String body, String... headers) {
        List<String> given = List.of(headers);
        int auth = given.indexOf(RequestSignature.AUTHORIZATION_HEADER);
        int key = given.indexOf(RequestSignature.IDEMPOTENCY_KEY_HEADER);
        String digest = body == null ? BodyDigest.NONE : BodyDigest.of(body.getBytes(StandardCharsets.UTF_8));
        return signature.headers(shop, epoch, now, new SignedRequest(method, path, digest,
                auth >= 0 ? headers[auth + 1] : null, key >= 0 ? headers[key + 1] : null));
    }

    HttpResponse<String> admin(String method, String path, Shop shop, String body) {
        return send(method, path, shop, body, "Authorization", "Bearer " + shop.adminToken());
    }

    /** A product with one variant of this SKU, price (EUR cents) and stock, as the admin API returns it. */
    JsonObject product(Shop shop, String sku, long price, int inventory) {
        HttpResponse<String> created = admin("POST", "/admin/v1/products", shop, "{\"title\": \"" + sku + "\", \"variants\": [{\"sku\": \""
                + sku + "\", \"price\": {\"amount\": " + price + ", \"currency\": \"EUR\"}, \"inventory\": " + inventory + "}]}");
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating product " + sku + " failed: " + created.body());
        }
        return json(created);
    }

    /** Like {@link #product}, returning the variant's id. */
    String variant(Shop shop, String sku, long price, int inventory) {
        return product(shop, sku, price, inventory).getJsonArray("variants").getJsonObject(0).getString("id");
    }

    /** A new cart holding {@code quantity} of the variant; returns its token. */
    String cart(Shop shop, String variantId, int quantity) {
        String token = json(send("POST", "/api/v1/carts", shop, null)).getString("cartToken");
        send("POST", "/api/v1/carts/" + token + "/items", shop, "{\"variantId\": \"" + variantId + "\", \"quantity\": " + quantity + "}");
        return token;
    }

    CompletableFuture<HttpResponse<String>> checkoutAsync(Shop shop, String cartToken, String email, String idempotencyKey) {
        return sendAsync("POST", "/api/v1/checkouts", shop, "{\"cartToken\": \"" + cartToken + "\", \"email\": \"" + email + "\"}",
                "Idempotency-Key", idempotencyKey);
    }

    HttpResponse<String> checkout(Shop shop, String cartToken, String email, String idempotencyKey) {
        return checkoutAsync(shop, cartToken, email, idempotencyKey).join();
    }

    /** The shopper's read of an order: {@code GET /api/v1/orders/{id}} with the checkout answer's orderToken. */
    HttpResponse<String> readOrder(Shop shop, JsonObject checkoutAnswer) {
        return send("GET", "/api/v1/orders/" + checkoutAnswer.getString("id"), shop, null, "X-Order-Token", checkoutAnswer.getString("orderToken"));
    }

    static JsonObject json(HttpResponse<String> response) {
        return new JsonObject(response.body());
    }

    /**
     * A connection holding the variant's stock row lock in an open transaction: a checkout of
     * it waits there, inside its own transaction, until the caller commits or closes it.
     */
    Connection lockStock(Shop shop, String variant) throws Exception {
        Connection lock = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
        lock.setAutoCommit(false);
        try (PreparedStatement row = lock.prepareStatement("SELECT inventory FROM variants WHERE shop_id = ? AND id = ? FOR UPDATE")) {
            row.setLong(1, shop.id().value());
            row.setLong(2, Long.parseLong(variant));
            row.executeQuery().close();
        }
        return lock;
    }

    /** Transactions of the shard waiting for a row lock, in InnoDB's own view (e.g. a checkout on a stock row held by {@link #lockStock}). */
    long writesWaitingOnALock() throws Exception {
        return queryLong("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'");
    }

    void execute(String sql, Object... args) throws Exception {
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
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

    /** The order events of a shop on cellshop.orders, read from the start until {@code atLeast} of them have arrived. */
    List<JsonObject> orderEvents(Shop shop, int atLeast) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<JsonObject> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("cellshop.orders"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals(Long.toString(shop.id().value()))) {
                        events.add(new JsonObject(r.value()));
                    }
                });
                return events.size() >= atLeast;
            });
        }
        return events;
    }

    /** Stops the instance as a SIGTERM does (undeploys its verticle); completes when the stop has finished. */
    CompletableFuture<Void> stop() {
        return vertx.undeploy(deploymentId).toCompletionStage().toCompletableFuture();
    }

    @Override
    public void close() throws Exception {
        curator.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
