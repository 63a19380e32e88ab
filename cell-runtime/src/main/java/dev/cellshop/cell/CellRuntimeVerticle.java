package dev.cellshop.cell;

import dev.cellshop.cell.cart.CartApi;
import dev.cellshop.cell.cart.CartStore;
import dev.cellshop.cell.catalog.CatalogApi;
import dev.cellshop.cell.catalog.CatalogStore;
import dev.cellshop.cell.checkout.CheckoutApi;
import dev.cellshop.cell.checkout.CheckoutService;
import dev.cellshop.cell.http.AdminAuth;
import dev.cellshop.cell.http.CellApiRoutes;
import dev.cellshop.cell.http.ProblemHandler;
import dev.cellshop.cell.order.OrderApi;
import dev.cellshop.cell.order.OrderStore;
import dev.cellshop.cell.schema.CellSchema;
import dev.cellshop.kernel.config.Config;
import dev.cellshop.kernel.id.LeasedIdGenerator;
import dev.cellshop.kernel.process.ServerVerticle;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** The cell-runtime process: its clients of the cell's stores, ZooKeeper, and the commerce API. */
final class CellRuntimeVerticle extends ServerVerticle {

    private Pool mysql;
    private Redis redisClient;
    private CuratorFramework curator;
    private LeasedIdGenerator ids;

    CellRuntimeVerticle(Config config) {
        super(config);
    }

    @Override
    protected Future<Map<String, Supplier<Future<?>>>> openClients() {
        String host = config.getString("mysql.host");
        int port = config.getInt("mysql.port");
        String database = config.getString("mysql.database");
        // Schema, ZooKeeper session and worker-id lease are blocking calls: a worker thread, not the event loop.
        return vertx.executeBlocking(() -> {
            if (config.getBoolean("mysql.migrate")) {
                CellSchema.migrate("jdbc:mysql://" + host + ":" + port + "/" + database + "?useServerPrepStmts=false",
                        config.getString("mysql.user"), config.getString("mysql.password"));
            }
            curator = CuratorFrameworkFactory.builder().connectString(config.getString("zookeeper.connect"))
                    .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000)
                    .retryPolicy(new ExponentialBackoffRetry(200, 10)).build();
            curator.start();
            ids = LeasedIdGenerator.start(curator, TopologyPaths.DEFAULT);
            return null;
        }).map(started -> {
            mysql = MySQLBuilder.pool()
                    .with(new PoolOptions().setMaxSize(config.getInt("mysql.pool-size")))
                    .connectingTo(new MySQLConnectOptions().setHost(host).setPort(port).setDatabase(database)
                            .setUser(config.getString("mysql.user")).setPassword(config.getString("mysql.password")))
                    .using(vertx).build();
            // A flash sale queues thousands of cart reads at once: a deep wait queue, not the default 24.
            redisClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.getString("redis.url"))
                    .setMaxPoolSize(config.getInt("redis.pool-size")).setMaxPoolWaiting(config.getInt("redis.pool-waiting")));
            RedisAPI redis = RedisAPI.api(redisClient);
            Map<String, Supplier<Future<?>>> readiness = new LinkedHashMap<>();
            readiness.put("mysql", () -> mysql.query("SELECT 1").execute());
            readiness.put("redis", () -> redis.ping(List.of()));
            readiness.put("ids", () -> ids.held() ? Future.succeededFuture() : Future.failedFuture("worker-id lease not held"));
            return readiness;
        });
    }

    @Override
    protected void mountRoutes(Router router) {
        CatalogStore catalog = new CatalogStore(mysql);
        CartStore carts = new CartStore(RedisAPI.api(redisClient));
        CellApiRoutes.mount(router, new ProblemHandler(config.getString("cell.id")), new AdminAuth(mysql),
                new CatalogApi(catalog, ids::nextId),
                new CartApi(carts, catalog),
                new CheckoutApi(new CheckoutService(mysql, carts, ids::nextId)),
                new OrderApi(new OrderStore(mysql, ids::nextId)));
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
        return mysql.close().eventually(() -> {
            redisClient.close();
            return vertx.executeBlocking(() -> {
                ids.close();
                curator.close();
                return null;
            });
        });
    }
}
