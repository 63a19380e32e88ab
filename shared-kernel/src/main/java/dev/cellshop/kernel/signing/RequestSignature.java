package dev.cellshop.kernel.signing;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.signing.Verification.Reason;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The router's signature on every request it proxies, so a cell can refuse traffic that
 * did not come through a router (and so skipped its placement lookup and fencing epoch).
 *
 * <p>The signature is base64url (no padding) of HMAC-SHA256, keyed with the secret that
 * routers and cells share, over the canonical string
 * <pre>
 * shopId "\n" epoch "\n" timestampMillis "\n" METHOD "\n" pathWithQuery
 * </pre>
 * where {@code pathWithQuery} is the raw request target as sent on the wire (not decoded),
 * so the router signs exactly the bytes the cell receives. The body is not signed: the
 * signature proves the request came through a router recently, not that nothing could
 * replay it inside the skew window.
 *
 * <p>Thread-safe: each thread keeps its own {@link HmacSha256}, keyed once, and its own
 * buffer for the canonical string, so signing allocates only the signature.
 */
public final class RequestSignature {

    public static final String SHOP_ID_HEADER = "X-Cellshop-Shop-Id";
    public static final String EPOCH_HEADER = "X-Cellshop-Epoch";
    public static final String TIMESTAMP_HEADER = "X-Cellshop-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Cellshop-Signature";

    /** 256 bits, the HMAC-SHA256 output size: a shorter key weakens the MAC (RFC 2104 section 3). */
    public static final int MIN_SECRET_BYTES = 32;
    /** Router and cell clocks are NTP-synchronised; 30 s tolerates drift and slow proxies, not long replays. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(30);

    private static final String ALGORITHM = "HmacSHA256";
    private static final int SIGNATURE_BYTES = HmacSha256.LENGTH;
    private static final int SIGNATURE_CHARS = 43; // 32 bytes in unpadded base64url
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final long maxSkewMillis;
    private final ThreadLocal<Scratch> scratches;

    public RequestSignature(byte[] secret) {
        this(secret, DEFAULT_MAX_SKEW);
    }

    public RequestSignature(byte[] secret, Duration maxSkew) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(maxSkew, "maxSkew");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("Request signing secret is " + secret.length + " bytes; at least "
                    + MIN_SECRET_BYTES + " are required");
        }
        if (maxSkew.isNegative() || maxSkew.isZero()) {
            throw new IllegalArgumentException("Request signature max skew must be positive, got " + maxSkew);
        }
        this.maxSkewMillis = maxSkew.toMillis();
        byte[] key = secret.clone();
        this.scratches = ThreadLocal.withInitial(() -> new Scratch(new HmacSha256(key)));
        scratches.get(); // fail here, at start, if the JDK lacks the algorithm
    }

    public String sign(ShopId shopId, long epoch, long timestampMillis, String method, String pathWithQuery) {
        return new String(signAscii(shopId, epoch, timestampMillis, method, pathWithQuery), StandardCharsets.US_ASCII);
    }

    /** As {@link #sign}, as the header value's ASCII bytes (a new array the caller may keep): the router's per-request path. */
    public byte[] signAscii(ShopId shopId, long epoch, long timestampMillis, String method, String pathWithQuery) {
        Objects.requireNonNull(shopId, "shopId");
        if (epoch < 1) {
            throw new IllegalArgumentException("Cannot sign epoch " + epoch + ": placement epochs start at 1");
        }
        if (timestampMillis < 0) {
            throw new IllegalArgumentException("Cannot sign timestamp " + timestampMillis + ": must not be negative");
        }
        String problem = checkRequestLine(method, pathWithQuery);
        if (problem != null) {
            throw new IllegalArgumentException("Cannot sign: " + problem);
        }
        Scratch scratch = scratches.get();
        scratch.start().decimal(shopId.value());
        byte[] signature = new byte[SIGNATURE_CHARS];
        ENCODER.encode(scratch.mac(epoch, timestampMillis, method, pathWithQuery), signature);
        return signature;
    }

    /** Checks the headers of a request as a cell received it; never throws on bad input. */
    public Verification verify(String shopIdHeader, String epochHeader, String timestampHeader, String signatureHeader,
                               String method, String pathWithQuery, long nowMillis) {
        String missing = firstMissing(shopIdHeader, epochHeader, timestampHeader, signatureHeader);
        if (missing != null) {
            return new Verification.Rejected(Reason.MISSING, "header " + missing + " is missing");
        }
        ShopId shopId;
        try {
            shopId = ShopId.parse(shopIdHeader);
        } catch (IllegalArgumentException e) {
            return new Verification.Rejected(Reason.MALFORMED, SHOP_ID_HEADER + ": " + e.getMessage());
        }
        long epoch = parseDecimal(epochHeader);
        if (epoch < 1) {
            return new Verification.Rejected(Reason.MALFORMED, EPOCH_HEADER + " must be a positive whole number");
        }
        long timestamp = parseDecimal(timestampHeader);
        if (timestamp < 0) {
            return new Verification.Rejected(Reason.MALFORMED, TIMESTAMP_HEADER + " must be milliseconds since the epoch");
        }
        byte[] presented = decodeSignature(signatureHeader);
        if (presented == null) {
            return new Verification.Rejected(Reason.MALFORMED, SIGNATURE_HEADER + " must be "
                    + SIGNATURE_CHARS + " characters of unpadded base64url");
        }
        String problem = checkRequestLine(method, pathWithQuery);
        if (problem != null) {
            return new Verification.Rejected(Reason.MALFORMED, problem);
        }
        byte[] expected = scratches.get().start().text(shopIdHeader).mac(epoch, timestamp, method, pathWithQuery);
        if (!MessageDigest.isEqual(expected, presented)) { // constant time: no byte-by-byte timing oracle
            return new Verification.Rejected(Reason.BAD_SIGNATURE,
                    "the signature does not match this request; was it signed with another secret?");
        }
        // Checked after the MAC, so STALE always means a genuine router request: clock skew or a replay.
        long drift = nowMillis - timestamp;
        if (drift > maxSkewMillis || drift < -maxSkewMillis) {
            return new Verification.Rejected(Reason.STALE, "timestamp " + timestamp + " is " + Math.abs(drift)
                    + " ms " + (drift > 0 ? "behind" : "ahead of") + " this cell's clock; at most "
                    + maxSkewMillis + " ms is allowed");
        }
        return new Verification.Verified(shopId, epoch);
    }

    public Duration maxSkew() {
        return Duration.ofMillis(maxSkewMillis);
    }

    @Override
    public String toString() {
        return "RequestSignature[" + ALGORITHM + ", maxSkew=" + maxSkew() + "]"; // never the secret
    }

    /** One thread's MAC and the buffer its canonical strings are written into, as UTF-8. */
    private static final class Scratch {
        private final HmacSha256 hmac;
        private final byte[] mac = new byte[SIGNATURE_BYTES];
        private byte[] canonical = new byte[256];
        private int length;

        Scratch(HmacSha256 hmac) {
            this.hmac = hmac;
        }

        Scratch start() {
            length = 0;
            return this;
        }

        /** The MAC over what was written so far (the shop id) and the rest of the canonical string; valid until the next use. */
        byte[] mac(long epoch, long timestamp, String method, String pathWithQuery) {
            ascii('\n').decimal(epoch).ascii('\n').decimal(timestamp).ascii('\n').text(method).ascii('\n').text(pathWithQuery);
            hmac.mac(canonical, length, mac, 0);
            return mac;
        }

        private Scratch ascii(char c) {
            room(1);
            canonical[length++] = (byte) c;
            return this;
        }

        Scratch decimal(long value) {
            int digits = 1;
            for (long v = value; v >= 10; v /= 10) {
                digits++;
            }
            room(digits);
            long v = value;
            for (int i = length + digits - 1; i >= length; i--) {
                canonical[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            length += digits;
            return this;
        }

        Scratch text(String text) {
            int n = text.length();
            room(n);
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (c >= 0x80) { // rare: the whole text as UTF-8, as the canonical string is defined
                    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                    length -= i;
                    room(utf8.length);
                    System.arraycopy(utf8, 0, canonical, length, utf8.length);
                    length += utf8.length;
                    return this;
                }
                canonical[length++] = (byte) c;
            }
            return this;
        }

        private void room(int more) {
            if (length + more > canonical.length) {
                canonical = Arrays.copyOf(canonical, Math.max(canonical.length * 2, length + more));
            }
        }
    }

    // A newline inside the method or path could make two different requests share one
    // canonical string; HTTP allows neither there, so refusing them costs nothing.
    private static String checkRequestLine(String method, String pathWithQuery) {
        if (method == null || method.isEmpty()) {
            return "the request method is missing";
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c < 'A' || c > 'Z') {
                return "request method '" + method + "' must be upper-case letters";
            }
        }
        if (pathWithQuery == null || pathWithQuery.isEmpty()) {
            return "the request path is missing";
        }
        if (pathWithQuery.indexOf('\n') >= 0 || pathWithQuery.indexOf('\r') >= 0) {
            return "the request path contains a line break";
        }
        return null;
    }

    private static String firstMissing(String shopId, String epoch, String timestamp, String signature) {
        if (shopId == null || shopId.isEmpty()) {
            return SHOP_ID_HEADER;
        }
        if (epoch == null || epoch.isEmpty()) {
            return EPOCH_HEADER;
        }
        if (timestamp == null || timestamp.isEmpty()) {
            return TIMESTAMP_HEADER;
        }
        if (signature == null || signature.isEmpty()) {
            return SIGNATURE_HEADER;
        }
        return null;
    }

    /** Plain decimal digits (no sign, no spaces) as a long, or -1: the canonical string must be the header text. */
    private static long parseDecimal(String text) {
        if (text.length() > 19 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return -1;
        }
    }

    private static byte[] decodeSignature(String text) {
        if (text.length() != SIGNATURE_CHARS) {
            return null;
        }
        try {
            return DECODER.decode(text);
        } catch (IllegalArgumentException notBase64Url) {
            return null;
        }
    }
}
