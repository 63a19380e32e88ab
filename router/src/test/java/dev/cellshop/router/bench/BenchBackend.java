package dev.cellshop.router.bench;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Capacity;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.CellState;
import dev.cellshop.kernel.placement.Endpoints;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.topology.TopologyPaths;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * The trivial backend of ops/bench/router: answers every request 200 with one fixed JSON body
 * of about 200 bytes (no signature check, no I/O), and puts itself in the topology so a router
 * can route to it: the bench cell's descriptor (ACTIVE; its store endpoints are placeholders, the
 * backend has no stores), an EPHEMERAL instance of that cell, the bench shop's placement (ACTIVE,
 * epoch 1) on it and the shop's domain node.
 *
 * <pre>java -cp router.jar:router/target/test-classes dev.cellshop.router.bench.BenchBackend \
 *     port=48301 zookeeper=127.0.0.1:48181 [root=/cellshop cell=bench shop=1 domain=bench.shop.test event-loops=1]</pre>
 * Runs until SIGTERM; its instance node goes with its ZooKeeper session.
 */
public final class BenchBackend {

    private BenchBackend() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("root", TopologyPaths.DEFAULT_ROOT, "cell", "bench",
                "shop", "1", "domain", "bench.shop.test", "event-loops", "1", "host", "127.0.0.1"));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            opts.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String host = opts.get("host");
        int port = Integer.parseInt(required(opts, "port"));
        int loops = Integer.parseInt(opts.get("event-loops"));
        TopologyPaths paths = new TopologyPaths(opts.get("root"));
        CellId cell = CellId.of(opts.get("cell"));
        ShopId shop = ShopId.parse(opts.get("shop"));
        String domain = opts.get("domain");

        Buffer body = Buffer.buffer(body(cell, shop), "UTF-8");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                HttpServer server = vertx.createHttpServer();
                server.requestHandler(request -> request.response()
                        .putHeader("Content-Type", "application/json")
                        .end(body));
                return server.listen(port, host);
            }
        }, new DeploymentOptions().setInstances(loops)).await();

        CuratorFramework curator = CuratorFrameworkFactory.builder().connectString(required(opts, "zookeeper"))
                .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000).retryPolicy(new ExponentialBackoffRetry(200, 10)).build();
        curator.start();
        if (!curator.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not connected to ZooKeeper " + required(opts, "zookeeper") + " within 30 s");
        }
        upsert(curator, paths.cell(cell), Json.writeBytes(new CellDescriptor(cell, CellState.ACTIVE,
                new Endpoints("127.0.0.1:1", "redis://127.0.0.1:1", "127.0.0.1:1"), new Capacity(1000, 1.0),
                "bench cell of ops/bench/router: a trivial backend without stores")));
        upsert(curator, paths.shop(shop), Json.writeBytes(Placement.initial(cell)));
        upsert(curator, paths.domain(domain), shop.toString().getBytes(StandardCharsets.UTF_8));
        InstanceDescriptor instance = InstanceDescriptor.of("bench-backend-" + port, host, port, Instant.now());
        String node = paths.instance(cell, instance.instanceId());
        try {
            curator.delete().forPath(node); // a node left by an earlier run's session that has not expired yet
        } catch (KeeperException.NoNodeException e) {
            // the usual case
        }
        curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(node, Json.writeBytes(instance));

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            curator.close(); // the EPHEMERAL node goes with the session
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }, "shutdown"));
        System.out.println("event=bench_backend_ready address=" + instance.address() + " cell=" + cell + " shop=" + shop
                + " domain=" + domain + " event_loops=" + loops + " body_bytes=" + body.length());
    }

    /** About 200 bytes of JSON, the size of a small API answer. */
    static String body(CellId cell, ShopId shop) {
        StringBuilder json = new StringBuilder("{\"shopId\":\"").append(shop).append("\",\"cellId\":\"").append(cell)
                .append("\",\"product\":{\"id\":\"1001\",\"title\":\"Bench T-shirt\",\"price\":{\"amount\":1999,\"currency\":\"EUR\"},"
                        + "\"inventory\":42},\"note\":\"");
        while (json.length() < 198) {
            json.append('x');
        }
        return json.append("\"}").toString();
    }

    private static void upsert(CuratorFramework curator, String path, byte[] data) throws Exception {
        try {
            curator.create().creatingParentsIfNeeded().forPath(path, data);
        } catch (KeeperException.NodeExistsException e) {
            curator.setData().forPath(path, data);
        }
    }

    private static String required(Map<String, String> opts, String key) {
        String value = opts.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + key + "=...");
        }
        return value;
    }
}
