package dev.cellshop.control;

import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.control.cells.CellProvisioning;
import dev.cellshop.control.cells.CellRegistry;
import dev.cellshop.control.certification.CertificationSettings;
import dev.cellshop.control.certification.Certifier;
import dev.cellshop.control.certification.StoreProbes;
import dev.cellshop.control.credentials.CellCredentials;
import dev.cellshop.control.credentials.SecretsDirectory;
import dev.cellshop.control.cells.LocalCells;
import dev.cellshop.control.http.ControlApiRoutes;
import dev.cellshop.control.leader.Leadership;
import dev.cellshop.control.mover.Cutover;
import dev.cellshop.control.mover.MoveRunner;
import dev.cellshop.control.mover.Movers;
import dev.cellshop.control.mover.RowCopier;
import dev.cellshop.control.mover.ShopEraser;
import dev.cellshop.control.placement.CellChooser;
import dev.cellshop.control.placement.PlacementWeights;
import dev.cellshop.control.placement.Placer;
import dev.cellshop.control.rebalance.Rebalancer;
import dev.cellshop.control.shops.CellDatabase;
import dev.cellshop.control.shops.ShopCreator;
import dev.cellshop.control.shops.ShopDirectory;
import dev.cellshop.control.shops.ShopRemover;
import dev.cellshop.control.topology.CellCache;
import dev.cellshop.control.topology.ShopCounts;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.config.Config;
import dev.cellshop.kernel.id.LeasedIdGenerator;
import dev.cellshop.kernel.process.ServerVerticle;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.topology.TopologyPaths;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane server: connects to ZooKeeper (blocking until it does, so a start
 * without ZooKeeper fails naming it), leases an id worker, counts shops per cell, registers
 * the local platform's cells when told where they are, joins the leader election (the leader
 * runs the moves; see {@code control.leader}) and serves {@link ControlApiRoutes}.
 */
final class ControlPlaneVerticle extends ServerVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneVerticle.class);

    private CuratorFramework curator;
    private LeasedIdGenerator ids;
    private ShopCounts counts;
    private CellCache cellCache;
    private ControlApiRoutes routes;
    private Movers movers;
    private Rebalancer rebalancer;
    private Leadership leadership;
    private HttpClient leaderClient;

    ControlPlaneVerticle(Config config) {
        super(config);
    }

    @Override
    protected Future<Map<String, Supplier<Future<?>>>> openClients() {
        return vertx.executeBlocking(() -> {
            String zookeeper = config.getString("zookeeper.connect");
            TopologyPaths paths = new TopologyPaths(config.getString("zookeeper.root"));
            curator = CuratorFrameworkFactory.builder().connectString(zookeeper)
                    .sessionTimeoutMs((int) config.getDuration("zookeeper.session-timeout").toMillis())
                    .connectionTimeoutMs(5000).retryPolicy(new ExponentialBackoffRetry(200, 5))
                    // the leader latch lets go only when the session is lost; a SUSPENDED leader parks its movers (Leadership)
                    .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy()).build();
            curator.start();
            if (!curator.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ZooKeeper " + zookeeper + " is not reachable (30 s)");
            }
            AuditLog audit = new AuditLog(curator, paths);
            TopologyStore topology = new TopologyStore(curator, paths, audit);
            topology.ensureCreated();
            ids = LeasedIdGenerator.start(curator, paths);
            counts = new ShopCounts(curator, paths);
            counts.start(30_000);
            cellCache = new CellCache(curator, paths);
            cellCache.start(30_000);
            Placer placer = new Placer(new CellChooser(new PlacementWeights(config.getInt("placement.shops-weight"),
                    config.getInt("placement.load-weight"))), counts);
            CellDatabase databases = new CellDatabase(credentials());
            CellRegistry cells = new CellRegistry(topology, placer);
            registerLocalCells(cells);
            ShopCreator creator = new ShopCreator(topology, cellCache, placer, databases, ids);
            Certifier certifier = new Certifier(certificationSettings(), topology, creator, new ShopRemover(topology, databases));
            String self = advertisedUrl();
            Leadership[] lead = new Leadership[1];
            movers = new Movers(curator, paths, topology, counts, audit, signature(), vertx, moveSettings(), registry, self,
                    () -> lead[0].fence());
            rebalancer = new Rebalancer(topology, placer, counts, movers, audit, new Rebalancer.Settings(
                    config.getInt("rebalance.tolerance-percent") / 100.0, config.getInt("rebalance.max-moves"),
                    config.getInt("move.concurrent")));
            leadership = lead[0] = new Leadership(curator, paths, self, new LeaderDuties(), registry);
            leaderClient = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5000));
            routes = new ControlApiRoutes(vertx, config.getString("platform.token"), config.getInt("cell.max-shops"),
                    creator, new ShopDirectory(topology, databases), cells,
                    new CellProvisioning(topology, databases, new StoreProbes(databases), certifier), audit, movers, rebalancer,
                    leadership, leaderClient);
            leadership.start();
            if (!leadership.awaitSettled(Duration.ofSeconds(10))) {
                LOG.warn("event=leader_unknown note=\"no leader elected within 10 s; moves answer 503 until one is\"");
            }
            Map<String, Supplier<Future<?>>> checks = new LinkedHashMap<>();
            checks.put("zookeeper", () -> curator.getZookeeperClient().isConnected() ? Future.succeededFuture()
                    : Future.failedFuture("not connected to ZooKeeper " + zookeeper));
            checks.put("ids", () -> ids.held() ? Future.succeededFuture() : Future.failedFuture("no worker-id lease"));
            // a follower is ready too: it serves reads and forwards the rest; the note says which it is
            checks.put("leader", () -> vertx.executeBlocking(() -> leadership.leads() ? "leading"
                    : leadership.leader().map(url -> "following " + url).orElse("no leader elected yet"), false));
            return checks;
        });
    }

    /** What taking and losing the lead does; called one at a time on the leadership thread. */
    private final class LeaderDuties implements Leadership.Duties {

        @Override
        public void take() {
            try {
                int resumed = movers.resumeUnfinished();
                if (resumed > 0) {
                    LOG.info("event=moves_resumed count={}", resumed);
                }
            } catch (Exception e) {
                // the moves wait for the next leader (or this one after a reconnect); the fence keeps them single-run
                LOG.error("event=moves_not_resumed error=\"{}\"", e.toString(), e);
            }
        }

        @Override
        public void park() {
            rebalancer.park();
            movers.park();
        }
    }

    /** control.advertised-url, or http://control.host:control.port (port 0 is not known yet, so it needs the key). */
    private String advertisedUrl() {
        String configured = config.getString("control.advertised-url");
        if (!configured.isEmpty()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        if (port() == 0) {
            throw new IllegalStateException("control.port 0 (any free port) needs control.advertised-url: the other control"
                    + " planes forward to that URL");
        }
        return "http://" + host() + ":" + port();
    }

    private RequestSignature signature() {
        String secret = config.getString("signing.secret");
        return secret.isEmpty() ? null : new RequestSignature(secret.getBytes(StandardCharsets.UTF_8));
    }

    private CellCredentials credentials() {
        return new SecretsDirectory(config.getString("cell.mysql-user"), Path.of(config.getString("cell.secrets-dir")));
    }

    private Movers.Settings moveSettings() {
        return new Movers.Settings(credentials(),
                new MoveRunner.Settings(new RowCopier.Options(config.getInt("move.batch-rows"), config.getInt("move.copy-parallelism")),
                        config.getInt("move.max-lag-transactions"), config.getDuration("move.catch-up-timeout"), 10_000),
                new Cutover.Settings(Duration.ofSeconds(30), 1000, 10_000, config.getInt("move.recheck-key-limit")),
                config.getDuration("move.quiescence-timeout"), config.getDuration("move.outbox-timeout"),
                new ShopEraser.Factory(config.getInt("move.erase-batch-rows"), Duration.ofMillis(5)), config.getInt("move.concurrent"));
    }

    private CertificationSettings certificationSettings() throws java.io.IOException {
        String router = config.getString("certification.router");
        String platformJson = config.getString("local.platform-json");
        if (router.isEmpty() && !platformJson.isEmpty()) {
            router = LocalCells.router(Path.of(platformJson));
        }
        return new CertificationSettings(router, config.getDuration("certification.max-latency"),
                config.getDuration("certification.instance-wait"));
    }

    private void registerLocalCells(CellRegistry cells) throws Exception {
        String file = config.getString("local.platform-json");
        if (file.isEmpty()) {
            return;
        }
        for (LocalCells.LocalCell cell : LocalCells.read(Path.of(file))) {
            if (cells.registerLocalIfAbsent(cell.cellId(), cell.endpoints(), LocalCells.capacity(config.getInt("cell.max-shops")),
                    "control-plane (local platform)")) {
                LOG.info("event=local_cell_registered cell={}", cell.cellId());
            }
        }
    }

    @Override
    protected void mountRoutes(Router router) {
        routes.mount(router);
    }

    @Override
    protected String host() {
        return config.getString("control.host");
    }

    @Override
    protected int port() {
        return config.getInt("control.port");
    }

    @Override
    protected Future<?> closeClients() {
        return vertx.executeBlocking(() -> {
            if (rebalancer != null) {
                rebalancer.close();
            }
            if (movers != null) {
                movers.close(); // parks its runners first: the next leader resumes them
            }
            if (leadership != null) {
                leadership.close(); // leaves the election only now, so no one else runs a move of ours meanwhile
            }
            if (leaderClient != null) {
                leaderClient.close();
            }
            if (counts != null) {
                counts.close();
            }
            if (cellCache != null) {
                cellCache.close();
            }
            if (ids != null) {
                ids.close();
            }
            if (curator != null) {
                curator.close();
            }
            return null;
        });
    }
}
