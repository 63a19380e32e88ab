package dev.cellshop.kernel.signing;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.signing.Verification.Reason;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The router's signature on every request it proxies, so a cell can refuse traffic that
 * did not come through a router (and so skipped its placement lookup and fencing epoch), or
 * that was altered or sent again on the way.
 *
 * <p>Scheme v2. The signature header is {@code "v2:"} and base64url (no padding) of
 * HMAC-SHA256, keyed with the secret that routers and cells share, over the canonical string
 * <pre>
 * "cellshop-v2" "\n" shopId "\n" epoch "\n" timestampMillis "\n" nonce "\n" METHOD "\n" pathWithQuery "\n"
 * bodyDigest "\n" authorization "\n" idempotencyKey
 * </pre>
 * where {@code pathWithQuery} is the raw request target as sent on the wire (not decoded), so
 * the router signs exactly the bytes the cell receives; {@code nonce} is the
 * {@link #NONCE_HEADER} (128 bits, fresh for every request the router sends, each retry
 * included: {@link Nonces}); {@code bodyDigest} is the {@link #BODY_DIGEST_HEADER}
 * ({@link BodyDigest}: the body's SHA-256, which the cell compares with the body it read); and
 * {@code authorization} and {@code idempotencyKey} are {@code "="} followed by that header's
 * value, or nothing when the header is absent, so an absent header and an empty one differ.
 * Non-ASCII text is written as UTF-8. So the signature covers everything that decides what a
 * cell does with a request: a changed body, bearer token or idempotency key is refused
 * ({@link Verification.Reason#BAD_SIGNATURE}, or {@code BODY_MISMATCH} for the body), and the
 * nonce lets a cell remember the requests it has taken inside the skew window and refuse the
 * same one sent again ({@code REPLAYED}; the cell keeps that memory, this class does not).
 *
 * <p>A signature of another version (v1's bare 43 characters) is refused as
 * {@link Verification.Reason#UNSUPPORTED_VERSION}, naming both versions: a router and a cell
 * of different releases, not an attack.
 *
 * <p>Thread-safe: each thread keeps its own {@link HmacSha256}, keyed once, and its own
 * buffer for the canonical string, so signing allocates only the signature.
 */
public final class RequestSignature {

    public static final String SHOP_ID_HEADER = "X-Cellshop-Shop-Id";
    public static final String EPOCH_HEADER = "X-Cellshop-Epoch";
    public static final String TIMESTAMP_HEADER = "X-Cellshop-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Cellshop-Signature";
    public static final String NONCE_HEADER = "X-Cellshop-Nonce";
    public static final String BODY_DIGEST_HEADER = "X-Cellshop-Body-Digest";
    public static final String AUTHORIZATION_HEADER = "Authorization";
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    /** The scheme this class signs and checks: the prefix of the signature header's value. */
    public static final String VERSION = "v2";

    /** 256 bits, the HMAC-SHA256 output size: a shorter key weakens the MAC (RFC 2104 section 3). */
    public static final int MIN_SECRET_BYTES = 32;
    /** Router and cell clocks are NTP-synchronised; 30 s tolerates drift and slow proxies, not long replays. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(30);

    private static final String ALGORITHM = "HmacSHA256";
    private static final int SIGNATURE_BYTES = HmacSha256.LENGTH;
    private static final int MAC_CHARS = 43; // 32 bytes in unpadded base64url
    private static final String PREFIX = VERSION + ":";
    private static final int SIGNATURE_CHARS = PREFIX.length() + MAC_CHARS;
    private static final byte[] DOMAIN = "cellshop-v2".getBytes(StandardCharsets.US_ASCII);
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

    public String sign(ShopId shopId, long epoch, long timestampMillis, String nonce, SignedRequest request) {
        return new String(signAscii(shopId, epoch, timestampMillis, nonce, request), StandardCharsets.US_ASCII);
    }

    /**
     * The signing headers of a request sent by a plain HTTP client (the mover's polls, tests):
     * shop, epoch, timestamp, a fresh nonce, the body digest and the signature, in that order.
     */
    public Map<String, String> headers(ShopId shopId, long epoch, long timestampMillis, SignedRequest request) {
        String nonce = Nonces.next();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SHOP_ID_HEADER, shopId.toString());
        headers.put(EPOCH_HEADER, Long.toString(epoch));
        headers.put(TIMESTAMP_HEADER, Long.toString(timestampMillis));
        headers.put(NONCE_HEADER, nonce);
        headers.put(BODY_DIGEST_HEADER, request.bodyDigest());
        headers.put(SIGNATURE_HEADER, sign(shopId, epoch, timestampMillis, nonce, request));
        return headers;
    }

    /** As {@link #sign}, as the header value's ASCII bytes (a new array the caller may keep): the router's per-request path. */
    public byte[] signAscii(ShopId shopId, long epoch, long timestampMillis, String nonce, SignedRequest request) {
        Objects.requireNonNull(shopId, "shopId");
        if (epoch < 1) {
            throw new IllegalArgumentException("Cannot sign epoch " + epoch + ": placement epochs start at 1");
        }
        if (timestampMillis < 0) {
            throw new IllegalArgumentException("Cannot sign timestamp " + timestampMillis + ": must not be negative");
        }
        String problem = checkRequest(nonce, request);
        if (problem != null) {
            throw new IllegalArgumentException("Cannot sign: " + problem);
        }
        Scratch scratch = scratches.get();
        scratch.start().decimal(shopId.value());
        byte[] signature = new byte[SIGNATURE_CHARS];
        for (int i = 0; i < PREFIX.length(); i++) {
            signature[i] = (byte) PREFIX.charAt(i);
        }
        ENCODER.encode(scratch.mac(epoch, timestampMillis, nonce, request), scratch.encoded);
        System.arraycopy(scratch.encoded, 0, signature, PREFIX.length(), MAC_CHARS);
        return signature;
    }

    /**
     * Checks the headers of a request as a cell received it; never throws on bad input. The
     * body is checked apart, once read: {@link #checkBody}.
     */
    public Verification verify(String shopIdHeader, String epochHeader, String timestampHeader, String nonceHeader,
                               String signatureHeader, SignedRequest request, long nowMillis) {
        String missing = firstMissing(shopIdHeader, epochHeader, timestampHeader, signatureHeader);
        if (missing != null) {
            return new Verification.Rejected(Reason.MISSING, "header " + missing + " is missing");
        }
        if (!signatureHeader.startsWith(PREFIX)) {
            int colon = signatureHeader.indexOf(':');
            String version = colon > 0 && colon < 8 ? signatureHeader.substring(0, colon)
                    : signatureHeader.length() == MAC_CHARS ? "v1" : "unknown";
            return new Verification.Rejected(Reason.UNSUPPORTED_VERSION, SIGNATURE_HEADER + " is a " + version
                    + " signature; this cell checks " + VERSION + " (it covers the body, Authorization, Idempotency-Key"
                    + " and a nonce): are the router and the cell of different releases?");
        }
        if (nonceHeader == null || nonceHeader.isEmpty()) {
            return new Verification.Rejected(Reason.MISSING, "header " + NONCE_HEADER + " is missing");
        }
        if (request.bodyDigest().isEmpty()) {
            return new Verification.Rejected(Reason.MISSING, "header " + BODY_DIGEST_HEADER + " is missing");
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
            return new Verification.Rejected(Reason.MALFORMED, SIGNATURE_HEADER + " must be '" + PREFIX + "' and "
                    + MAC_CHARS + " characters of unpadded base64url");
        }
        String problem = checkRequest(nonceHeader, request);
        if (problem != null) {
            return new Verification.Rejected(Reason.MALFORMED, problem);
        }
        byte[] expected = scratches.get().start().text(shopIdHeader).mac(epoch, timestamp, nonceHeader, request);
        if (!MessageDigest.isEqual(expected, presented)) { // constant time: no byte-by-byte timing oracle
            return new Verification.Rejected(Reason.BAD_SIGNATURE, "the signature does not match this request (its"
                    + " line, Authorization, Idempotency-Key or router headers were changed, or it was signed with another secret)");
        }
        // Checked after the MAC, so STALE always means a genuine router request: clock skew or a replay.
        long drift = nowMillis - timestamp;
        if (drift > maxSkewMillis || drift < -maxSkewMillis) {
            return new Verification.Rejected(Reason.STALE, "timestamp " + timestamp + " is " + Math.abs(drift)
                    + " ms " + (drift > 0 ? "behind" : "ahead of") + " this cell's clock; at most "
                    + maxSkewMillis + " ms is allowed");
        }
        return new Verification.Verified(shopId, epoch, nonceHeader);
    }

    /**
     * After {@link #verify} passed: whether the body a cell read is the one the router signed
     * ({@code signedDigest} is the verified {@link #BODY_DIGEST_HEADER}); null when it is.
     */
    public static Verification.Rejected checkBody(String signedDigest, ByteBuffer body) {
        if (signedDigest.equals(BodyDigest.UNSIGNED)) {
            return body.hasRemaining() ? new Verification.Rejected(Reason.UNSIGNED_BODY, "the router did not sign this "
                    + body.remaining() + "-byte body (it streams bodies larger than its limits.replay-body-bytes unsigned);"
                    + " this cell takes no body it cannot check") : null;
        }
        String digest = BodyDigest.of(body);
        if (!MessageDigest.isEqual(digest.getBytes(StandardCharsets.US_ASCII), signedDigest.getBytes(StandardCharsets.US_ASCII))) {
            return new Verification.Rejected(Reason.BODY_MISMATCH, "the " + body.remaining()
                    + "-byte body is not the one the router signed");
        }
        return null;
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
        private final byte[] encoded = new byte[MAC_CHARS];
        private byte[] canonical = new byte[256];
        private int length;

        Scratch(HmacSha256 hmac) {
            this.hmac = hmac;
        }

        Scratch start() {
            length = 0;
            room(DOMAIN.length + 1);
            System.arraycopy(DOMAIN, 0, canonical, 0, DOMAIN.length);
            length = DOMAIN.length;
            return ascii('\n');
        }

        /** The MAC over what was written so far (the shop id) and the rest of the canonical string; valid until the next use. */
        byte[] mac(long epoch, long timestamp, String nonce, SignedRequest request) {
            ascii('\n').decimal(epoch).ascii('\n').decimal(timestamp).ascii('\n').text(nonce)
                    .ascii('\n').text(request.method()).ascii('\n').text(request.pathWithQuery())
                    .ascii('\n').text(request.bodyDigest())
                    .ascii('\n').optional(request.authorization()).ascii('\n').optional(request.idempotencyKey());
            hmac.mac(canonical, length, mac, 0);
            return mac;
        }

        /** An optional header: nothing when absent, '=' and its value when present (so "" differs from absent). */
        private Scratch optional(String value) {
            return value == null ? this : ascii('=').text(value);
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

    // A newline inside any signed field could make two different requests share one canonical
    // string; HTTP allows none there, so refusing them costs nothing.
    private static String checkRequest(String nonce, SignedRequest request) {
        if (nonce == null || !Nonces.wellFormed(nonce)) {
            return NONCE_HEADER + " must be " + Nonces.CHARS + " characters of unpadded base64url";
        }
        String method = request.method();
        if (method == null || method.isEmpty()) {
            return "the request method is missing";
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c < 'A' || c > 'Z') {
                return "request method '" + method + "' must be upper-case letters";
            }
        }
        String path = request.pathWithQuery();
        if (path == null || path.isEmpty()) {
            return "the request path is missing";
        }
        if (hasLineBreak(path)) {
            return "the request path contains a line break";
        }
        if (!BodyDigest.wellFormed(request.bodyDigest())) {
            return BODY_DIGEST_HEADER + " must be " + BodyDigest.CHARS + " characters of unpadded base64url or "
                    + BodyDigest.UNSIGNED;
        }
        if (hasLineBreak(request.authorization()) || hasLineBreak(request.idempotencyKey())) {
            return "the Authorization or Idempotency-Key header contains a line break";
        }
        return null;
    }

    private static boolean hasLineBreak(String text) {
        return text != null && (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0);
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
            return DECODER.decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException notBase64Url) {
            return null;
        }
    }
}
