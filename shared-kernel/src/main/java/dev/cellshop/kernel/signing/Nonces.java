package dev.cellshop.kernel.signing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-request nonce of a signature (header {@link RequestSignature#NONCE_HEADER}): 128
 * bits, base64url, 22 characters. It needs to be unique, not secret (the MAC is what an
 * attacker cannot make): 64 random bits drawn once per process, so two routers never share a
 * prefix, then a 64-bit counter that starts at a random value, so no two requests of a
 * process share one either. A counter costs no entropy per request, which SecureRandom would.
 */
public final class Nonces {

    static final int CHARS = 22;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final long PREFIX;
    private static final AtomicLong COUNTER;

    static {
        SecureRandom random = new SecureRandom();
        PREFIX = random.nextLong();
        COUNTER = new AtomicLong(random.nextLong());
    }

    private Nonces() {
    }

    /** A fresh nonce as its header value's ASCII bytes (a new array the caller may keep). */
    public static byte[] nextAscii() {
        long n = COUNTER.getAndIncrement();
        byte[] raw = new byte[16];
        for (int i = 0; i < 8; i++) {
            raw[i] = (byte) (PREFIX >>> (56 - 8 * i));
            raw[8 + i] = (byte) (n >>> (56 - 8 * i));
        }
        return ENCODER.encode(raw);
    }

    public static String next() {
        return new String(nextAscii(), StandardCharsets.US_ASCII);
    }

    static boolean wellFormed(String value) {
        return BodyDigest.isBase64Url(value, CHARS);
    }
}
