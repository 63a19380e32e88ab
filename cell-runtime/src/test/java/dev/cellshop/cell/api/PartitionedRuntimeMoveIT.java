package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.testkit.faults.LinkProxy;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.JsonHttp;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15's first acceptance: a cell-runtime cut off from ZooKeeper keeps its last placement
 * view (the shop ACTIVE here at epoch 1) and, once its session has expired, is no longer one of
 * the instances a cutover asks. Signed writes at the old epoch keep arriving at it directly
 * (as from a router partitioned with it) while the control plane moves the shop to cell-b. The
 * shop's fence row in cell-a's database refuses every one after the freeze, so each order the
 * runtime acknowledged is on cell-b after the move, and none is lost with the source's copy.
 */
@ExtendWith(LocalPlatformExtension.class)
class PartitionedRuntimeMoveIT {

    private static final Duration MOVE = Duration.ofSeconds(90);
    private static final int WRITERS = 4;

    private record Answer(int status, String orderId, String detail) {
    }

    @Test
    void a_runtime_cut_off_from_zookeeper_commits_no_write_after_the_freeze_and_every_order_it_acknowledged_moves(LocalPlatform local)
            throws Exception {
        PlatformEndpoints platform = local.endpoints();
        JsonNode created = controlPlane(platform, "POST", "/v1/shops", Map.of("name", "Partitioned", "domain",
                "partitioned-" + System.nanoTime() + ".example.test", "cell", "cell-a"));
        ShopId shopId = ShopId.of(created.get("shopId").asLong());
        RunningCell.Shop shop = new RunningCell.Shop(shopId, created.get("adminToken").asText());

        try (LinkProxy zookeeper = new LinkProxy(platform.zookeeper());
             CuratorFramework observer = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5));
             RunningCell runtime = new RunningCell(platform, Map.of("CELLSHOP_ZOOKEEPER_CONNECT", zookeeper.address(),
                     "CELLSHOP_SIGNING_SECRET", platform.signingSecret()))) {
            observer.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.send("GET", "/api/v1/products", shop, null).statusCode() == 200);
            String variant = runtime.variant(shop, "PART-1", 900, 100_000);
            String instance = TopologyPaths.DEFAULT.instance(CellId.of("cell-a"), runtime.instanceId());
            assertThat(observer.checkExists().forPath(instance)).as("registered before the cut").isNotNull();

            zookeeper.blackhole(); // a partition: packets vanish, nothing is closed
            await().atMost(Duration.ofSeconds(40)).until(() -> observer.checkExists().forPath(instance) == null);

            // Shoppers keep writing to the cut-off runtime, several at once, until well after the move.
            List<Answer> answers = new CopyOnWriteArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger sequence = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writers.add(Thread.ofVirtual().start(() -> {
                    while (writing.get()) {
                        int i = sequence.incrementAndGet();
                        String cart = runtime.cart(shop, variant, 1);
                        HttpResponse<String> checkout = runtime.checkout(shop, cart, "p" + i + "@example.com", "partitioned-" + i);
                        JsonNode body = Json.read(checkout.body(), JsonNode.class);
                        answers.add(new Answer(checkout.statusCode(), body.path("id").asText(null), body.path("detail").asText("")));
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> answers.stream().filter(a -> a.status() == 201).count() >= 20);

            JsonNode move = controlPlane(platform, "POST", "/v1/moves", Map.of("shopId", shopId.toString(), "targetCell", "cell-b"));
            String moveId = move.get("moveId").asText();
            await().atMost(MOVE).pollInterval(Duration.ofMillis(200)).until(() -> {
                String phase = controlPlane(platform, "GET", "/v1/moves/" + moveId, null).get("phase").asText();
                assertThat(phase).as("move " + moveId).isNotEqualTo("ABORTED");
                return phase.equals("COMPLETED");
            });
            int atCompletion = answers.size();
            await().atMost(Duration.ofSeconds(20)).until(() -> answers.size() >= atCompletion + 20);
            writing.set(false);
            for (Thread writer : writers) {
                writer.join();
            }

            // Between the freeze and the erasure of the source's copy the runtime still finds the shop's
            // rows, and only the fence refuses; after the erasure it no longer finds the shop's variant.
            assertThat(answers).as("the fence refused the writes at the old epoch once the shop was frozen")
                    .anySatisfy(a -> {
                        assertThat(a.status()).isEqualTo(421);
                        assertThat(a.detail()).contains("FROZEN");
                    });
            assertThat(answers.subList(atCompletion, answers.size())).as("no order is taken at the old epoch after the move")
                    .noneSatisfy(a -> assertThat(a.status()).isEqualTo(201));
            Set<String> acknowledged = new HashSet<>();
            answers.stream().filter(a -> a.status() == 201).forEach(a -> acknowledged.add(a.orderId()));
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(20);
            assertThat(answers).as("the runtime answered orders, or refusals: the fence's, or a cart or variant the erased copy no longer has")
                    .allSatisfy(a -> assertThat(a.status()).isIn(201, 404, 409, 421, 422));
            assertThat(orderIds(platform.cell("cell-b").mysql(), shopId)).as("every acknowledged order is on the target, and only those")
                    .isEqualTo(acknowledged);
            assertThat(orderIds(platform.cell("cell-a").mysql(), shopId)).as("the source's copy is erased, with nothing written after it")
                    .isEmpty();
            zookeeper.pass();
        }
    }

    private static Set<String> orderIds(PlatformEndpoints.Mysql mysql, ShopId shop) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
             PreparedStatement s = c.prepareStatement("SELECT o.id, COUNT(l.line_no) FROM orders o JOIN order_lines l"
                     + " ON l.shop_id = o.shop_id AND l.order_id = o.id WHERE o.shop_id = ? GROUP BY o.id")) {
            s.setLong(1, shop.value());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getInt(2)).as("order " + rs.getLong(1) + " has its line").isEqualTo(1);
                    ids.add(Long.toString(rs.getLong(1)));
                }
            }
        }
        return ids;
    }

    private static JsonNode controlPlane(PlatformEndpoints platform, String method, String path, Object body) {
        HttpResponse<String> reply = JsonHttp.send("http://" + platform.controlPlane() + path, method, body == null ? null : Json.write(body),
                Map.of("Authorization", "Bearer " + platform.platformToken()));
        assertThat(reply.statusCode()).as(method + " " + path + ": " + reply.body()).isBetween(200, 299);
        return Json.read(reply.body(), JsonNode.class);
    }
}
