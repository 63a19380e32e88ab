package dev.cellshop.router;

import dev.cellshop.kernel.config.Config;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.process.ServerVerticle;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.router.balance.CellInstances;
import dev.cellshop.router.balance.HealthProber;
import dev.cellshop.router.hold.HeldRequests;
import dev.cellshop.router.limit.ClientRateLimit;
import dev.cellshop.router.limit.TrustedProxies;
import dev.cellshop.router.metrics.RouterGauges;
import dev.cellshop.router.metrics.RouterMetrics;
import dev.cellshop.router.proxy.ProxyHandler;
import dev.cellshop.router.proxy.ProxySettings;
import dev.cellshop.router.proxy.Routing;
import dev.cellshop.router.topology.ShopDirectory;
import dev.cellshop.router.topology.TopologyWatcher;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;

/**
 * The router process: its ZooKeeper session and topology view, and its HTTP listeners (one
 * per event loop, all on the router's port), each forwarding shop traffic through its own
 * {@link ProxyHandler}, which takes over the listener's connections. {@code /health}, {@code /ready} and {@code /metrics} are the
 * router's own (no shop has such paths); everything else is a shop's.
 */
final class RouterVerticle extends ServerVerticle {

    /** How often idle per-client buckets are dropped: often enough that a full table frees room within seconds. */
    private static final long CLIENT_EVICTION_MILLIS = 5_000;

    private CuratorFramework curator;
    private TopologyWatcher watcher;
    private Routing routing;
    private ProxyHandler proxy;
    private HealthProber prober;
    private long evictionTimer = -1;
    private PersistentNode registration;
    private Router ownRoutes;
    private final StartupHeap startupHeap = new StartupHeap();
    private final List<String> listenerDeployments = new ArrayList<>();

    RouterVerticle(Config config) {
        super(config);
    }

    @Override
    protected Future<Map<String, Supplier<Future<?>>>> openClients() {
        String zookeeper = config.getString("zookeeper.connect");
        TopologyPaths paths = new TopologyPaths(config.getString("zookeeper.root"));
        curator = CuratorFrameworkFactory.builder().connectString(zookeeper)
                .sessionTimeoutMs((int) config.getDuration("zookeeper.session-timeout").toMillis())
                .connectionTimeoutMs(5000)
                .retryPolicy(new ExponentialBackoffRetry(200, 10)).build();
        curator.start(); // connects in the background; /ready reports when the view is loaded
        ShopDirectory directory = new ShopDirectory();
        CellInstances instances = new CellInstances();
        watcher = new TopologyWatcher(curator, paths, directory, instances);
        HeldRequests holds = new HeldRequests(vertx, directory, config.getDuration("hold.timeout").toMillis());
        RouterMetrics metrics = new RouterMetrics(registry);
        ProxySettings settings = settings();
        routing = new Routing(directory, instances, watcher, holds,
                new RequestSignature(config.getString("signing.secret").getBytes(StandardCharsets.UTF_8)), metrics, settings,
                config.getInt("breaker.failure-threshold"), config.getDuration("breaker.open-duration").toNanos(),
                clientLimit());
        RouterGauges.register(registry, routing);
        prober = new HealthProber(vertx, instances, config.getDuration("health.interval").toMillis());
        watcher.start();
        startupHeap.settleAfter(watcher.loaded());
        prober.start();
        Map<String, Supplier<Future<?>>> checks = new LinkedHashMap<>();
        checks.put("topology", this::topologyReadiness);
        return Future.succeededFuture(checks);
    }

    /**
     * Ready once the whole view is loaded; a lost ZooKeeper session afterwards does not
     * make the router unready (it routes on the last view), but it says so.
     */
    private Future<?> topologyReadiness() {
        if (!watcher.isLoaded()) {
            return Future.failedFuture(watcher.connected() ? "loading shops, domains and instances from ZooKeeper"
                    : "not connected to ZooKeeper " + config.getString("zookeeper.connect") + "; nothing loaded yet");
        }
        if (!startupHeap.isSettled()) {
            return Future.failedFuture("view loaded; settling the start-up heap before traffic (one full collection)");
        }
        long since = watcher.disconnectedSinceMillis();
        String note = since == 0 ? routing.directory().shops() + " shops"
                : "routing on the last view of " + routing.directory().shops() + " shops: ZooKeeper unreachable for "
                        + (System.currentTimeMillis() - since) + " ms";
        return Future.succeededFuture(note);
    }

    /** The per-client limit, or null when limits.client-rate is 0; its idle buckets are dropped off the event loops. */
    private ClientRateLimit clientLimit() {
        int rate = config.getInt("limits.client-rate");
        if (rate == 0) {
            return null;
        }
        int burst = config.getInt("limits.client-burst");
        ClientRateLimit limit = new ClientRateLimit(rate, burst == 0 ? rate : burst, config.getInt("limits.client-max-tracked"),
                TrustedProxies.of(config.getList("limits.trusted-proxies")));
        evictionTimer = vertx.setPeriodic(CLIENT_EVICTION_MILLIS, id -> vertx.executeBlocking(() -> {
            limit.evictIdle(System.nanoTime());
            return null;
        }, false));
        return limit;
    }

    private ProxySettings settings() {
        return new ProxySettings(config.getInt("limits.max-header-bytes"), config.getLong("limits.max-body-bytes"),
                config.getInt("limits.replay-body-bytes"), config.getDuration("upstream.connect-timeout"),
                config.getDuration("upstream.response-timeout"), config.getInt("upstream.max-connections"), config.getInt("upstream.max-in-flight"),
                config.getDuration("limits.client-idle-timeout"), config.getDuration("limits.header-timeout"),
                config.getDuration("limits.body-timeout"), config.getBoolean("router.access-log"));
    }

    @Override
    protected HttpServerOptions serverOptions() {
        return routing.settings().serverOptions();
    }

    @Override
    protected Handler<HttpServerRequest> requestHandler(Router router) {
        ownRoutes = router;
        return router;
    }

    @Override
    protected Handler<HttpConnection> connectionHandler() {
        proxy = new ProxyHandler(vertx, routing);
        return proxy;
    }

    @Override
    protected String host() {
        return config.getString("router.host");
    }

    @Override
    protected int port() {
        return config.getInt("router.port");
    }

    @Override
    protected Future<?> afterListening(int port) {
        int loops = config.getInt("router.event-loops");
        int extra = (loops == 0 ? Runtime.getRuntime().availableProcessors() : loops) - 1;
        Future<?> deployed = Future.succeededFuture();
        for (int i = 0; i < extra; i++) {
            // the configured port, not the actual one: Vert.x shares a server by its listen
            // address, so port 0 gives every listener the one random port the first bound
            deployed = deployed.compose(x -> vertx.deployVerticle(new ProxyListener(routing, ownRoutes, host(), port()))
                    .onSuccess(listenerDeployments::add));
        }
        return deployed.compose(x -> vertx.executeBlocking(() -> {
            register(port);
            return null;
        }));
    }

    private void register(int port) {
        String id = config.getString("router.id").isEmpty() ? "router-" + port : config.getString("router.id");
        TopologyPaths paths = new TopologyPaths(config.getString("zookeeper.root"));
        Map<String, Object> me = Map.of("routerId", id, "host", host(), "port", port, "startedAt", Instant.now().toString());
        registration = new PersistentNode(curator, CreateMode.EPHEMERAL, false, paths.router(id), Json.writeBytes(me));
        registration.start();
    }

    /** What the router routes by; for tests in this package that measure it directly. */
    Routing routing() {
        return routing;
    }

    @Override
    protected Future<?> beforeShutdown() {
        Future<?> undeployed = Future.succeededFuture();
        for (String id : listenerDeployments) {
            undeployed = undeployed.eventually(() -> vertx.undeploy(id));
        }
        return undeployed;
    }

    @Override
    protected Future<?> closeClients() {
        vertx.cancelTimer(evictionTimer);
        proxy.close();
        return prober.stop().eventually(() -> vertx.executeBlocking(() -> {
            // Deleting the node retries while ZooKeeper is unreachable, which would hold the
            // stop for minutes; closing the session below removes an EPHEMERAL node anyway.
            if (registration != null && curator.getZookeeperClient().isConnected()) {
                registration.close();
            }
            watcher.close();
            curator.close(); // blocking: never on the event loop
            return null;
        }));
    }
}
