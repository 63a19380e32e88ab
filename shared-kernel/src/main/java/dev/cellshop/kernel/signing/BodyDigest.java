package dev.cellshop.kernel.signing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The body's part of a router's signature: the value of {@link RequestSignature#BODY_DIGEST_HEADER},
 * which the signature covers. It is {@link #NONE} for a request without a body, base64url
 * (unpadded, 43 characters) of the SHA-256 of the body's bytes as sent (after any chunked
 * framing is removed), or {@link #UNSIGNED} for a body the router streamed on without holding
 * it whole (larger than its {@code limits.replay-body-bytes}): a cell takes no body it cannot
 * check, so it refuses that one.
 */
public final class BodyDigest {

    /** The SHA-256 of no bytes: a request without a body. */
    public static final String NONE = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";
    /** A body the router did not hold whole: the cell refuses it. */
    public static final String UNSIGNED = "UNSIGNED-PAYLOAD";
    static final int CHARS = 43;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Digests::newSha256);

    private BodyDigest() {
    }

    /** The digest of the body in {@code parts}, in order (their positions are left as they were). */
    public static String of(ByteBuffer... parts) {
        MessageDigest sha = SHA256.get();
        long bytes = 0;
        for (ByteBuffer part : parts) {
            bytes += part.remaining();
            sha.update(part.duplicate());
        }
        byte[] digest = sha.digest(); // also resets it for the next body
        return bytes == 0 ? NONE : ENCODER.encodeToString(digest);
    }

    public static String of(byte[] body) {
        return of(ByteBuffer.wrap(body));
    }

    /** Whether a header value is one a router writes; the MAC decides whether it is this request's. */
    static boolean wellFormed(String value) {
        if (value.equals(UNSIGNED)) {
            return true;
        }
        return isBase64Url(value, CHARS);
    }

    static boolean isBase64Url(String value, int length) {
        if (value.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
