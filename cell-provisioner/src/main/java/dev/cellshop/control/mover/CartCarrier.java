package dev.cellshop.control.mover;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.shopstate.ShopStateKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Carries a moving shop's carts from the source cell's Redis to the target's, during the
 * cutover (the shop is FROZEN, so no cart changes meanwhile): every {@code cart:{shop}:*} key,
 * found with SCAN, copied whole with DUMP and RESTORE ... REPLACE, keeping the time it has left
 * to live. A shopper's cart token works on the target the moment the shop is ACTIVE there.
 *
 * <p>Blocking: call it from the mover's own thread, never from an event loop.
 */
public final class CartCarrier {

    /** Keys per SCAN page, and per pipelined batch of DUMPs and RESTOREs. */
    static final int PAGE = 500;

    private final Vertx vertx;
    private final Duration timeout;

    public CartCarrier(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeout = timeout;
    }

    /** What was carried: carts and their serialized bytes. */
    public record Carried(int carts, long bytes) {
    }

    public Carried carry(ShopId shop, String sourceRedis, String targetRedis) {
        try (Session session = open(sourceRedis, targetRedis)) {
            return session.carry(shop);
        }
    }

    /** Connections to both Redis made ahead, so a cutover's pause does not include connecting. */
    public Session open(String sourceRedis, String targetRedis) {
        Connected source = connect("source", sourceRedis);
        try {
            return new Session(source, connect("target", targetRedis));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Open connections to a source and a target Redis. */
    public final class Session implements AutoCloseable {
        private final Connected source;
        private final Connected target;

        private Session(Connected source, Connected target) {
            this.source = source;
            this.target = target;
        }

        public Carried carry(ShopId shop) {
            int[] carts = {0};
            long[] bytes = {0};
            forEachPage(source, shop, keys -> {
                List<Request> reads = new ArrayList<>(keys.size() * 2);
                for (String key : keys) {
                    reads.add(Request.cmd(Command.DUMP).arg(key));
                    reads.add(Request.cmd(Command.PTTL).arg(key));
                }
                List<Response> dumped = source.batch(reads);
                List<Request> writes = new ArrayList<>(keys.size());
                for (int i = 0; i < keys.size(); i++) {
                    Response payload = dumped.get(2 * i);
                    long ttl = dumped.get(2 * i + 1).toLong();
                    if (payload == null || ttl == -2) {
                        continue; // expired between SCAN and DUMP: nothing to carry
                    }
                    writes.add(Request.cmd(Command.RESTORE).arg(keys.get(i)).arg(Math.max(ttl, 0))
                            .arg(payload.toBuffer()).arg("REPLACE"));
                    bytes[0] += payload.toBuffer().length();
                }
                if (!writes.isEmpty()) {
                    target.batch(writes);
                    carts[0] += writes.size();
                }
            });
            return new Carried(carts[0], bytes[0]);
        }

        @Override
        public void close() {
            source.close();
            target.close();
        }
    }

    /** After a completed move: the shop's carts leave the source cell (UNLINK frees memory in the background). */
    public int deleteAll(ShopId shop, String redis) {
        try (Connected source = connect("source", redis)) {
            int[] deleted = {0};
            forEachPage(source, shop, keys -> {
                Request unlink = Request.cmd(Command.UNLINK);
                keys.forEach(unlink::arg);
                deleted[0] += source.call(unlink).toInteger();
            });
            return deleted[0];
        }
    }

    /** The shop's cart keys, a SCAN page at a time (a key may come twice across pages; both uses are idempotent). */
    private static void forEachPage(Connected redis, ShopId shop, Consumer<List<String>> page) {
        String cursor = "0";
        do {
            Response scanned = redis.call(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH")
                    .arg(ShopStateKeys.cartPattern(shop)).arg("COUNT").arg(PAGE));
            cursor = scanned.get(0).toString();
            List<String> keys = new ArrayList<>();
            scanned.get(1).forEach(key -> keys.add(key.toString()));
            if (!keys.isEmpty()) {
                page.accept(keys);
            }
        } while (!cursor.equals("0"));
    }

    private Connected connect(String role, String url) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
        try {
            return new Connected(role, url, client, await(client.connect(), role, url));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private <T> T await(Future<T> future, String role, String url) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(role + " cell redis " + url + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(role + " cell redis " + url + " did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to the " + role + " cell's redis " + url, e);
        }
    }

    private final class Connected implements AutoCloseable {
        private final String role;
        private final String url;
        private final Redis client;
        private final RedisConnection connection;

        Connected(String role, String url, Redis client, RedisConnection connection) {
            this.role = role;
            this.url = url;
            this.client = client;
            this.connection = connection;
        }

        Response call(Request request) {
            return await(connection.send(request), role, url);
        }

        List<Response> batch(List<Request> requests) {
            return await(connection.batch(requests), role, url);
        }

        @Override
        public void close() {
            connection.close();
            client.close();
        }
    }
}
