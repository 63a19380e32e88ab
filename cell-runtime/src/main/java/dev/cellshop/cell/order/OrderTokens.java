package dev.cellshop.cell.order;

import dev.cellshop.kernel.signing.Digests;
import dev.cellshop.kernel.signing.RandomTokens;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;

/**
 * An order's token: the shopper's only proof for reading the order back, because order ids
 * are time-ordered and guessable. The checkout's answer carries it once ({@code orderToken});
 * the shard keeps its SHA-256 only ({@code orders.token_sha256}), so a read compares hashes,
 * in constant time, and a copy of the table opens no order through the API.
 */
public final class OrderTokens {

    public static final String HEADER = "X-Order-Token";
    /** Longer than any token we give out; longer headers are not hashed at all. */
    private static final int MAX_LENGTH = 256;

    private OrderTokens() {
    }

    /** 256 random bits. */
    public static String newToken() {
        return RandomTokens.urlSafe(32);
    }

    public static byte[] hash(String token) {
        return Digests.sha256(token);
    }

    /** Whether {@code presented} is the token whose hash is {@code stored}; never for an order without one (made before tokens). */
    static boolean matches(String presented, Buffer stored) {
        if (presented == null || presented.length() > MAX_LENGTH || stored == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(presented), stored.getBytes());
    }
}
