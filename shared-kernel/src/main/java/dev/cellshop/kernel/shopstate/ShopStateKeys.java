package dev.cellshop.kernel.shopstate;

import dev.cellshop.kernel.id.ShopId;

/**
 * Where a shop's state lives in its cell's Redis and Memcached. The cell-runtime writes
 * under these keys and a shop move carries (or restarts) what is under them, so both take
 * them from here: a key format changed in one place only cannot strand a moving shop's carts.
 */
public final class ShopStateKeys {

    private ShopStateKeys() {
    }

    /** A cart in Redis: a hash, field per variant, expiring after a week without change. */
    public static String cart(ShopId shop, String token) {
        return cartPrefix(shop) + token;
    }

    /** A Redis SCAN pattern matching every cart of the shop, and only its. */
    public static String cartPattern(ShopId shop) {
        return cartPrefix(shop) + "*";
    }

    /** The shop's cache namespace version in Memcached: moving it past every earlier value retires all cached entries. */
    public static String cacheNamespace(ShopId shop) {
        return "ns:" + shop.value();
    }

    // The trailing ':' keeps shop 12's pattern from matching shop 123's carts.
    private static String cartPrefix(ShopId shop) {
        return "cart:" + shop.value() + ":";
    }
}
