package dev.cellshop.kernel.signing;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer secrets made of random bytes (cart tokens, order tokens, admin tokens): unguessable,
 * so holding one is the credential; base64url without padding, so they go in paths and headers as is.
 */
public final class RandomTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomTokens() {
    }

    /** {@code bytes} random bytes from SecureRandom, base64url: 16 bytes (128 bits) give 22 characters. */
    public static String urlSafe(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
