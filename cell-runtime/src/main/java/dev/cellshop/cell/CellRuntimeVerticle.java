package dev.cellshop.cell;

import dev.cellshop.cell.cache.CacheSettings;
import dev.cellshop.cell.cache.ProductCache;
import dev.cellshop.cell.cart.CartApi;
import dev.cellshop.cell.cart.CartStore;
import dev.cellshop.cell.catalog.CatalogApi;
import dev.cellshop.cell.catalog.CatalogStore;
import dev.cellshop.cell.checkout.CheckoutApi;
import dev.cellshop.cell.checkout.CheckoutService;
import dev.cellshop.cell.fencing.InFlightRequests;
import dev.cellshop.cell.fencing.InstanceRegistration;
import dev.cellshop.cell.fencing.PlacementView;
import dev.cellshop.cell.fencing.ShopFence;
import dev.cellshop.cell.http.AdminAuth;
import dev.cellshop.cell.http.CellApiRoutes;
import dev.cellshop.cell.http.ProblemHandler;
import dev.cellshop.cell.http.RateLimitGate;
import dev.cellshop.cell.http.RequestMetrics;
import dev.cellshop.cell.http.ReplayGate;
import dev.cellshop.cell.http.ShopContext;
import dev.cellshop.cell.http.SignatureRefusals;
import dev.cellshop.cell.replay.SeenNonces;
import dev.cellshop.cell.order.OrderApi;
import dev.cellshop.cell.order.OrderStore;
import dev.cellshop.cell.outbox.OutboxRelay;
import dev.cellshop.cell.outbox.OutboxRelaySettings;
import dev.cellshop.cell.ratelimit.ShopRateLimiter;
import dev.cellshop.cell.schema.CellSchema;
import dev.cellshop.cell.stock.AutoSplit;
import dev.cellshop.cell.stock.BucketMerger;
import dev.cellshop.cell.stock.StockBucketsApi;
import dev.cellshop.kernel.config.Config;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.LeasedIdGenerator;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import dev.cellshop.kernel.placement.MysqlEndpoint;
import dev.cellshop.kernel.process.ServerVerticle;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.topology.StalledConnectNudge;
import dev.cellshop.kernel.topology.TopologyPaths;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cell-runtime process: opens its clients (the shard, Redis, Memcached, ZooKeeper, Kafka),
 * serves the commerce API, announces itself in ZooKeeper once listening and withdraws first
 * on stop, so routers stop sending before the server stops taking requests.
 */
final class CellRuntimeVerticle extends ServerVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(CellRuntimeVerticle.class);
    /** The longest one ZooKeeper connect attempt should take (see {@link #connectString}). */
    private static final Duration CONNECT_ATTEMPT = Duration.ofSeconds(5);

    private final CellId cellId;
    private Pool mysql;
    private Redis redisClient;
    private CuratorFramework curator;
    private CuratorFramework leaseCurator;
    private LeasedIdGenerator ids;
    private final List<StalledConnectNudge> nudges = new ArrayList<>();
    private PlacementView placements;
    private ProductCache cache;
    private ShopRateLimiter rateLimiter;
    private OutboxRelay relay;
    private InstanceRegistration registration;
    private BucketMerger bucketMerger;

    CellRuntimeVerticle(Config config) {
        super(config);
        this.cellId = CellId.of(config.getString("cell.id"));
    }

    @Override
    protected Future<Map<String, Supplier<Future<?>>>> openClients() {
        String host = config.getString("mysql.host");
        int port = config.getInt("mysql.port");
        String database = config.getString("mysql.database");
        // Schema, ZooKeeper and the Memcached client start with blocking calls: a worker thread, not the event loop.
        return vertx.executeBlocking(() -> {
            if (config.getBoolean("mysql.migrate")) {
                CellSchema.migrate(new MysqlEndpoint(host, port, database).jdbcUrl() + "?useServerPrepStmts=false",
                        config.getString("mysql.user"), config.getString("mysql.password"));
            }
            curator = zookeeper(Duration.ofSeconds(10), 10);
            // The worker-id lease gets a session of its own, minutes long: ids (and so checkouts)
            // go on through a ZooKeeper outage shorter than it, while this instance's registration
            // keeps the short session above, so routers still notice a dead instance in seconds.
            // Few retries: a heartbeat that waits out long backoffs confirms nothing meanwhile.
            leaseCurator = zookeeper(config.getDuration("ids.lease-session-timeout"), 3);
            ids = LeasedIdGenerator.start(leaseCurator, TopologyPaths.DEFAULT);
            if (ids.sessionTimeout().compareTo(config.getDuration("ids.lease-session-timeout")) < 0) {
                LOG.warn("event=lease_session_capped requestedMs={} negotiatedMs={} reason=\"ZooKeeper's maxSessionTimeout is lower:"
                        + " checkouts stop after that long without ZooKeeper\"",
                        config.getDuration("ids.lease-session-timeout").toMillis(), ids.sessionTimeout().toMillis());
            }
            placements = new PlacementView(curator, TopologyPaths.DEFAULT, cellId);
            placements.start();
            placements.ready().get(30, TimeUnit.SECONDS);
            cache = new ProductCache(vertx, new CacheSettings(config.getString("memcached.address"),
                    config.getDuration("cache.ttl"), config.getDuration("cache.timeout"),
                    config.getDuration("cache.version-max-age")), registry);
            return null;
        }).map(started -> {
            mysql = MySQLBuilder.pool()
                    .with(new PoolOptions().setMaxSize(config.getInt("mysql.pool-size")))
                    .withConnectHandler(this::boundSession)
                    .connectingTo(new MySQLConnectOptions().setHost(host).setPort(port).setDatabase(database)
                            .setUser(config.getString("mysql.user")).setPassword(config.getString("mysql.password")))
                    .using(vertx).build();
            // A flash sale queues thousands of cart reads at once: a deep wait queue, not the default 24.
            redisClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.getString("redis.url"))
                    .setMaxPoolSize(config.getInt("redis.pool-size")).setMaxPoolWaiting(config.getInt("redis.pool-waiting")));
            rateLimiter = new ShopRateLimiter(redisClient, RateLimits.from(config));
            rateLimiter.loadScript(); // warms the client; a failure here is harmless
            relay = new OutboxRelay(vertx, mysql, config.getString("kafka.bootstrap"), OutboxRelaySettings.DEFAULTS
                    .withTopic(config.getString("outbox.topic")).withBatchSize(config.getInt("outbox.batch-size")), registry);
            RedisAPI redis = RedisAPI.api(redisClient);
            Map<String, Supplier<Future<?>>> readiness = new LinkedHashMap<>();
            readiness.put("mysql", () -> mysql.query("SELECT 1").execute());
            readiness.put("redis", () -> redis.ping(List.of()));
            readiness.put("placements", () -> placements.ready().isDone() ? Future.succeededFuture()
                    : Future.failedFuture("placement view not loaded"));
            // Ready for as long as ids can be issued, ZooKeeper reachable or not: routers skip an unready
            // instance, and one that can still take orders must keep getting them during an outage.
            readiness.put("ids", () -> !ids.held() ? Future.failedFuture("worker-id lease not held or not confirmed in time")
                    : Future.succeededFuture(leaseCurator.getZookeeperClient().isConnected() ? ""
                            : "ZooKeeper out of reach; ids for " + ids.remaining().toSeconds() + " s more"));
            return readiness;
        });
    }

    /**
     * Every pooled session gets the statement and lock-wait bounds, so a shop's write can never
     * run on for tens of seconds (InnoDB's default lock wait is 50 s) and commit long after its
     * request, when a cutover has already taken the shop's silence for the end of its writes.
     */
    private void boundSession(SqlConnection session) {
        double statementSeconds = config.getDuration("mysql.statement-timeout").toMillis() / 1000.0;
        long lockWaitSeconds = Math.max(1, config.getDuration("mysql.lock-wait-timeout").toSeconds());
        session.query("SET SESSION max_statement_time = " + statementSeconds + ", innodb_lock_wait_timeout = " + lockWaitSeconds)
                .execute()
                .onFailure(e -> LOG.warn("event=mysql_session_bounds_failed cell={} error=\"{}\"", cellId, e.getMessage()))
                .onComplete(done -> session.close()); // back to the pool
    }

    /** The longest a shop's write may still commit after it began: the deadline, one more statement, and a second for the commit. */
    private Duration longestWrite() {
        return config.getDuration("mysql.transaction-deadline").plus(config.getDuration("mysql.statement-timeout")).plusSeconds(1);
    }

    /**
     * The nudge gets a stuck connect attempt going again, so the client is back in its session
     * (a restarted ZooKeeper restores sessions with a fresh timeout) as soon as the server answers.
     */
    private CuratorFramework zookeeper(Duration sessionTimeout, int retries) {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connectString(sessionTimeout))
                .sessionTimeoutMs((int) sessionTimeout.toMillis()).connectionTimeoutMs(5_000)
                .retryPolicy(new ExponentialBackoffRetry(200, retries)).build();
        client.start();
        nudges.add(StalledConnectNudge.start(client));
        return client;
    }

    /**
     * The ZooKeeper client gives one connect attempt sessionTimeout / (servers in the connect
     * string) before it tries again. For the lease's long session that is minutes: an attempt made
     * while a restarted ZooKeeper was still starting hung that long (seen in ops/test: ids ran out
     * and checkouts answered 503 two minutes after ZooKeeper was back). Naming each server several
     * times gives every attempt about {@link #CONNECT_ATTEMPT} instead, whatever the session.
     */
    private String connectString(Duration sessionTimeout) {
        String servers = config.getString("zookeeper.connect");
        long copies = Math.max(1, Math.min(64, sessionTimeout.toMillis() / CONNECT_ATTEMPT.toMillis()));
        return String.join(",", Collections.nCopies((int) copies, servers));
    }

    @Override
    protected void mountRoutes(Router router) {
        ShopFence fence = new ShopFence(mysql, config.getBoolean("fence.enforce"), config.getDuration("mysql.transaction-deadline"), registry);
        CatalogStore catalog = new CatalogStore(mysql, fence);
        CartStore carts = new CartStore(RedisAPI.api(redisClient));
        Consumer<ShopId> stockChanged = CatalogApi.invalidating(cache);
        RequestSignature signature = new RequestSignature(config.getString("signing.secret").getBytes(StandardCharsets.UTF_8),
                config.getDuration("signing.max-skew"));
        SignatureRefusals refusals = new SignatureRefusals(registry);
        bucketMerger = new BucketMerger(vertx, mysql, fence, placements, cellId, config.getDuration("stock.buckets.merge-after"),
                config.getDuration("stock.buckets.merge-check"), registry);
        bucketMerger.start();
        CellApiRoutes.mount(router, new CellApiRoutes.Handlers(
                new ProblemHandler(cellId.value()),
                new RequestMetrics(registry),
                new ShopContext(signature, placements, new InFlightRequests(), longestWrite(), refusals),
                new ReplayGate(new SeenNonces(redisClient, signature.maxSkew(), config.getDuration("signing.replay-check-timeout")),
                        refusals),
                new RateLimitGate(rateLimiter),
                new AdminAuth(mysql),
                new CatalogApi(catalog, cache, ids::nextId),
                new StockBucketsApi(mysql, fence),
                new CartApi(carts, catalog),
                // every committed order writes an outbox event: the relay publishes it now, not at its next idle poll
                new CheckoutApi(new CheckoutService(mysql, fence, carts, ids::nextId, CatalogApi.invalidatingProducts(cache)
                        .andThen((shop, products) -> relay.eventWritten()), new AutoSplit(vertx, fence, config.getInt("stock.buckets.auto-split-rate"),
                        config.getInt("stock.buckets.auto-split-count"), System::currentTimeMillis, registry)), registry),
                new OrderApi(new OrderStore(mysql, fence, ids::nextId, stockChanged, () -> relay.eventWritten()))));
    }

    @Override
    protected Future<?> afterListening(int port) {
        String instanceId = config.getString("instance.id").isEmpty() ? cellId.value() + "-" + port : config.getString("instance.id");
        registration = new InstanceRegistration(curator, TopologyPaths.DEFAULT, cellId,
                InstanceDescriptor.of(instanceId, host(), port, Instant.now()));
        return relay.start().compose(v -> vertx.executeBlocking(() -> {
            registration.start();
            if (!registration.awaitRegistered(Duration.ofSeconds(30))) {
                throw new IllegalStateException("could not register instance " + instanceId + " in ZooKeeper within 30 s");
            }
            return null;
        }));
    }

    @Override
    protected Future<?> beforeShutdown() {
        return registration == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            registration.close();
            return null;
        });
    }

    @Override
    protected String host() {
        return config.getString("http.host");
    }

    @Override
    protected int port() {
        return config.getInt("http.port");
    }

    @Override
    protected Future<?> closeClients() {
        if (bucketMerger != null) {
            bucketMerger.stop();
        }
        return relay.stop()
                .eventually(() -> mysql.close())
                .eventually(() -> cache.close())
                .eventually(() -> {
                    redisClient.close();
                    return vertx.executeBlocking(() -> {
                        placements.close();
                        ids.close();
                        nudges.forEach(StalledConnectNudge::close);
                        leaseCurator.close();
                        curator.close();
                        return null;
                    });
                });
    }
}
