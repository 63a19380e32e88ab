package dev.cellshop.cell;

import dev.cellshop.kernel.config.Config;
import dev.cellshop.kernel.process.ServerVerticle;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The cell-runtime process: its clients of the cell's stores and its HTTP server. The
 * commerce API (catalog, carts, checkout, orders) is mounted here by the cell-runtime issue.
 */
final class CellRuntimeVerticle extends ServerVerticle {

    private Pool mysql;
    private Redis redisClient;

    CellRuntimeVerticle(Config config) {
        super(config);
    }

    @Override
    protected Map<String, Supplier<Future<?>>> openClients() {
        mysql = MySQLBuilder.pool()
                .with(new PoolOptions().setMaxSize(config.getInt("mysql.pool-size")))
                .connectingTo(new MySQLConnectOptions().setHost(config.getString("mysql.host"))
                        .setPort(config.getInt("mysql.port")).setUser(config.getString("mysql.user"))
                        .setPassword(config.getString("mysql.password")).setDatabase(config.getString("mysql.database")))
                .using(vertx).build();
        redisClient = Redis.createClient(vertx, config.getString("redis.url"));
        RedisAPI redis = RedisAPI.api(redisClient);
        Map<String, Supplier<Future<?>>> readiness = new LinkedHashMap<>();
        readiness.put("mysql", () -> mysql.query("SELECT 1").execute());
        readiness.put("redis", () -> redis.ping(List.of()));
        return readiness;
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
            return Future.succeededFuture();
        });
    }
}
