package dev.cellshop.kernel.signing;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) with the key's two pad blocks hashed once, at construction: each MAC
 * then starts from copies of those two digest states instead of hashing the pads again, as
 * {@link javax.crypto.Mac} does on every message. For the router's canonical strings (under
 * 120 bytes) that is 2 or 3 SHA-256 blocks per request instead of 4 or 5, at the price of
 * copying two digest objects: about a quarter less time per MAC than {@code Mac} here.
 *
 * <p>Not thread-safe: one per thread (the states it copies are never updated, only cloned).
 */
final class HmacSha256 {

    static final int LENGTH = 32;
    private static final int BLOCK = 64;

    private final MessageDigest innerStart; // SHA-256 that has absorbed key XOR ipad
    private final MessageDigest outerStart; // SHA-256 that has absorbed key XOR opad
    private final byte[] innerHash = new byte[LENGTH];

    HmacSha256(byte[] key) {
        MessageDigest sha = Digests.newSha256();
        byte[] block = Arrays.copyOf(key.length > BLOCK ? sha.digest(key) : key, BLOCK); // zero-padded
        byte[] pad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            pad[i] = (byte) (block[i] ^ 0x36);
        }
        innerStart = Digests.newSha256();
        innerStart.update(pad);
        for (int i = 0; i < BLOCK; i++) {
            pad[i] = (byte) (block[i] ^ 0x5c);
        }
        outerStart = Digests.newSha256();
        outerStart.update(pad);
        Arrays.fill(block, (byte) 0);
        Arrays.fill(pad, (byte) 0);
    }

    /** Writes the 32-byte MAC of {@code message[0, length)} to {@code out[offset, offset + 32)}. */
    void mac(byte[] message, int length, byte[] out, int offset) {
        try {
            MessageDigest inner = (MessageDigest) innerStart.clone();
            inner.update(message, 0, length);
            inner.digest(innerHash, 0, LENGTH);
            MessageDigest outer = (MessageDigest) outerStart.clone();
            outer.update(innerHash, 0, LENGTH);
            outer.digest(out, offset, LENGTH);
        } catch (CloneNotSupportedException | java.security.DigestException e) {
            throw new IllegalStateException("This JDK's SHA-256 cannot be copied mid-hash", e);
        }
    }
}
