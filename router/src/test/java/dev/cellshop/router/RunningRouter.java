package dev.cellshop.router;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * A real router inside the test JVM, on the test platform's ZooKeeper under {@code paths},
 * with a ZooKeeper client to write the topology it routes by, and an HTTP client to it.
 */
final class RunningRouter implements AutoCloseable {

    private static final AtomicLong NEXT_SHOP = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L * 1000);

    final Vertx vertx = Vertx.vertx();
    final CuratorFramework curator;
    final TopologyPaths paths;
    final int port;
    final RouterVerticle verticle;
    final TestClient client;

    RunningRouter(PlatformEndpoints platform, TopologyPaths paths, Map<String, String> overrides) throws Exception {
        this.paths = paths;
        this.curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5));
        curator.start();
        curator.blockUntilConnected(30, TimeUnit.SECONDS);
        Map<String, String> env = new HashMap<>(Map.of(
                "CELLSHOP_ROUTER_PORT", "0",
                "CELLSHOP_ROUTER_EVENT_LOOPS", "2",
                "CELLSHOP_ROUTER_ACCESS_LOG", "false",
                "CELLSHOP_ZOOKEEPER_CONNECT", platform.zookeeper(),
                "CELLSHOP_ZOOKEEPER_ROOT", paths.root(),
                "CELLSHOP_SIGNING_SECRET", platform.signingSecret(),
                "CELLSHOP_HEALTH_INTERVAL", "200ms"));
        env.putAll(overrides);
        this.verticle = RouterTestAccess.deployVerticle(vertx, env).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        this.port = verticle.actualPort();
        this.client = new TestClient(vertx, port);
    }

    /** A shop id no other test uses. */
    static ShopId newShopId() {
        return ShopId.of(NEXT_SHOP.incrementAndGet());
    }

    void place(ShopId shop, String cell, PlacementState state, long epoch) throws Exception {
        byte[] json = Json.writeBytes(new Placement(CellId.of(cell), state, epoch));
        if (curator.checkExists().forPath(paths.shop(shop)) == null) {
            curator.create().creatingParentsIfNeeded().forPath(paths.shop(shop), json);
        } else {
            curator.setData().forPath(paths.shop(shop), json);
        }
    }

    void domain(String domain, ShopId shop) throws Exception {
        curator.create().creatingParentsIfNeeded().forPath(paths.domain(domain), shop.toString().getBytes(StandardCharsets.UTF_8));
    }

    Map<String, String> shopHeader(ShopId shop) {
        return Map.of("X-Shop-Id", shop.toString());
    }

    @Override
    public void close() throws Exception {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        curator.close();
    }
}
