package dev.cellshop.cell.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each cell's own stores answer the clients the cell runtime uses: Vert.x MySQL, Vert.x Redis, spymemcached. */
@ExtendWith(LocalPlatformExtension.class)
class CellStoresIT {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cell-a", "cell-b"})
    void a_table_is_created_written_and_read_on_the_cells_mariadb_with_the_vertx_mysql_client(
            String cellId, PlatformEndpoints platform) throws Exception {
        PlatformEndpoints.Mysql mysql = platform.cell(cellId).mysql().withDatabase("scratch");
        Pool pool = MySQLBuilder.pool()
                .with(new PoolOptions().setMaxSize(2))
                .connectingTo(new MySQLConnectOptions().setHost(mysql.host()).setPort(mysql.port())
                        .setUser(mysql.user()).setPassword(mysql.password()).setDatabase(mysql.database()))
                .using(vertx).build();
        String title = "vertx-" + UUID.randomUUID();

        await(pool.query("CREATE TABLE IF NOT EXISTS it_vertx_probe (shop_id BIGINT NOT NULL, id BIGINT NOT NULL,"
                + " title VARCHAR(200) NOT NULL, PRIMARY KEY (shop_id, id))").execute());
        await(pool.preparedQuery("INSERT INTO it_vertx_probe (shop_id, id, title) VALUES (?, ?, ?)")
                .execute(Tuple.of(7L, System.nanoTime(), title)));
        RowSet<Row> rows = await(pool.preparedQuery("SELECT title, @@server_id AS server FROM it_vertx_probe WHERE shop_id = ? AND title = ?")
                .execute(Tuple.of(7L, title)));

        assertThat(rows.size()).isEqualTo(1);
        Row row = rows.iterator().next();
        assertThat(row.getString("title")).isEqualTo(title);
        assertThat(row.getLong("server")).as("each cell has its own server_id").isEqualTo(cellId.equals("cell-a") ? 100L : 101L);
        await(pool.close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cell-a", "cell-b"})
    void a_key_set_in_the_cells_redis_with_the_vertx_redis_client_is_read_back(String cellId, PlatformEndpoints platform)
            throws Exception {
        Redis client = Redis.createClient(vertx, platform.cell(cellId).redis());
        RedisAPI redis = RedisAPI.api(client);
        String key = "it:" + UUID.randomUUID();

        await(redis.set(List.of(key, cellId, "EX", "60")));

        assertThat(await(redis.get(key)).toString()).isEqualTo(cellId);
        client.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cell-a", "cell-b"})
    void a_value_set_in_the_cells_memcached_with_spymemcached_is_read_back(String cellId, PlatformEndpoints platform)
            throws Exception {
        MemcachedClient memcached = new MemcachedClient(new InetSocketAddress("127.0.0.1", platform.cell(cellId).memcachedPort()));
        try {
            String key = "it:" + UUID.randomUUID();
            assertThat(memcached.set(key, 60, "hello " + cellId).get(5, TimeUnit.SECONDS)).isTrue();

            assertThat(memcached.get(key)).isEqualTo("hello " + cellId);
        } finally {
            memcached.shutdown(5, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cell-a", "cell-b"})
    void the_cells_do_not_share_their_stores(String cellId, PlatformEndpoints platform) throws Exception {
        String other = cellId.equals("cell-a") ? "cell-b" : "cell-a";
        String key = "isolation:" + UUID.randomUUID();
        RedisAPI mine = RedisAPI.api(Redis.createClient(vertx, platform.cell(cellId).redis()));
        RedisAPI theirs = RedisAPI.api(Redis.createClient(vertx, platform.cell(other).redis()));

        await(mine.set(List.of(key, "x")));

        assertThat(await(theirs.get(key))).isNull();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
