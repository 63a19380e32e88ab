package dev.cellshop.cell.cart;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.shopstate.ShopStateKeys;
import dev.cellshop.kernel.signing.RandomTokens;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Carts in the cell's Redis: one hash per cart, {@code cart:{shopId}:{token}}, a field per
 * variant ({@code v:{variantId}} -> quantity), expiring after a week without change. The shop
 * id in the key means a token of one shop opens nothing in another, and lets a shop move
 * find all its carts with one key pattern.
 */
public final class CartStore {

    public static final Duration TTL = Duration.ofDays(7);
    private static final String CREATED = "created";

    private final RedisAPI redis;

    public CartStore(RedisAPI redis) {
        this.redis = redis;
    }

    public static String key(ShopId shop, String token) {
        return ShopStateKeys.cart(shop, token);
    }

    /** 128 random bits, URL-safe: unguessable, so the token is the cart's only credential. */
    public static String newToken() {
        return RandomTokens.urlSafe(16);
    }

    public static boolean isWellFormed(String token) {
        return token != null && token.matches("[A-Za-z0-9_-]{22}");
    }

    public Future<String> create(ShopId shop) {
        String token = newToken();
        String key = key(shop, token);
        return redis.hset(List.of(key, CREATED, Long.toString(System.currentTimeMillis())))
                .compose(ok -> redis.pexpire(List.of(key, Long.toString(TTL.toMillis()))))
                .map(ok -> token);
    }

    /** The cart's lines (variant id -> quantity, in variant order), or empty when there is no such cart. */
    public Future<Optional<Map<Long, Integer>>> lines(ShopId shop, String token) {
        return redis.hgetall(key(shop, token)).map(CartStore::parse);
    }

    /** Adds to a line; returns the line's new quantity. */
    public Future<Long> add(ShopId shop, String token, long variantId, int quantity) {
        String key = key(shop, token);
        return redis.hincrby(key, "v:" + variantId, Integer.toString(quantity))
                .compose(total -> redis.pexpire(List.of(key, Long.toString(TTL.toMillis()))).map(ok -> total.toLong()));
    }

    /** Undoes an add that broke a limit. */
    public Future<Void> subtract(ShopId shop, String token, long variantId, int quantity) {
        return redis.hincrby(key(shop, token), "v:" + variantId, Integer.toString(-quantity)).mapEmpty();
    }

    public Future<Void> delete(ShopId shop, String token) {
        return redis.del(List.of(key(shop, token))).mapEmpty();
    }

    private static Optional<Map<Long, Integer>> parse(Response hash) {
        if (hash == null || hash.size() == 0) {
            return Optional.empty();
        }
        Map<Long, Integer> lines = new TreeMap<>();
        for (String field : hash.getKeys()) {
            if (field.startsWith("v:")) {
                int quantity = hash.get(field).toInteger();
                if (quantity > 0) {
                    lines.put(Long.parseLong(field.substring(2)), quantity);
                }
            }
        }
        return Optional.of(lines);
    }
}
