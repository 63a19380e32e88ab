package dev.cellshop.kernel.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.signing.Verification.Reason;
import dev.cellshop.kernel.signing.Verification.Rejected;
import dev.cellshop.kernel.signing.Verification.Verified;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RequestSignatureTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final ShopId SHOP = ShopId.of(42);
    private static final long NOW = 1_700_000_000_000L;
    private static final String PATH = "/api/v1/products?limit=10";

    private static final String NONCE = "AAAAAAAAAAAAAAAAAAAAAA";
    private static final SignedRequest GET = SignedRequest.bodiless("GET", PATH);

    private final RequestSignature signing = new RequestSignature(SECRET);

    @Test
    void a_request_signed_by_the_router_verifies_with_its_shop_and_epoch() {
        String signature = signing.sign(SHOP, 7, NOW, NONCE, req("GET", PATH));

        Verification result = signing.verify("42", "7", Long.toString(NOW), NONCE, signature, req("GET", PATH), NOW + 5);

        assertThat(result).isEqualTo(new Verified(SHOP, 7, NONCE));
        assertThat(result.verified()).isTrue();
    }

    @Test
    void the_signature_is_v2_and_unpadded_base64url_of_hmac_sha256_over_the_documented_canonical_string() {
        // Computed independently: printf 'cellshop-v2\n42\n7\n1700000000000\nAAAAAAAAAAAAAAAAAAAAAA\nPOST\n/api/v1/checkouts\n'
        //   'AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX-GI\n=Bearer t\n=k-1'
        //   | openssl dgst -sha256 -mac HMAC -macopt key:0123456789abcdef0123456789abcdef -binary | basenc --base64url
        // where the digest is printf '{"a":1}' | openssl dgst -sha256 -binary | basenc --base64url
        String digest = BodyDigest.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(digest).isEqualTo("AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX-GI");
        assertThat(signing.sign(SHOP, 7, NOW, NONCE, new SignedRequest("POST", "/api/v1/checkouts", digest, "Bearer t", "k-1")))
                .isEqualTo("v2:NzHJ8pRR5bPiwtwRKopbR2ED6OFyIyVg37Z6uefoHV8");
        assertThat(BodyDigest.of(new byte[0])).as("no body").isEqualTo(BodyDigest.NONE);
    }

    @Test
    void a_path_beyond_ascii_is_signed_as_the_utf8_of_the_canonical_string_and_verifies() throws Exception {
        String path = "/api/v1/products?q=caf\u00e9&x=\u20ac";
        javax.crypto.Mac jdk = javax.crypto.Mac.getInstance("HmacSHA256");
        jdk.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        String canonical = "cellshop-v2\n42\n7\n" + NOW + "\n" + NONCE + "\nPOST\n" + path + "\n" + BodyDigest.NONE + "\n\n";
        String expected = "v2:" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(jdk.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));

        assertThat(signing.sign(SHOP, 7, NOW, NONCE, req("POST", path))).isEqualTo(expected);
        assertThat(new String(signing.signAscii(SHOP, 7, NOW, NONCE, req("POST", path)), StandardCharsets.US_ASCII)).isEqualTo(expected);
        assertThat(signing.verify("42", "7", Long.toString(NOW), NONCE, expected, req("POST", path), NOW).verified()).isTrue();
    }

    @Test
    void a_changed_body_authorization_or_idempotency_key_no_longer_verifies() {
        String ts = Long.toString(NOW);
        String body = BodyDigest.of("{\"cartToken\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        SignedRequest signed = new SignedRequest("POST", "/api/v1/checkouts", body, "Bearer t", "k-1");
        String sig = signing.sign(SHOP, 7, NOW, NONCE, signed);
        assertThat(signing.verify("42", "7", ts, NONCE, sig, signed, NOW).verified()).isTrue();

        String otherBody = BodyDigest.of("{\"cartToken\":\"b\"}".getBytes(StandardCharsets.UTF_8));
        for (SignedRequest altered : List.of(
                new SignedRequest("POST", "/api/v1/checkouts", otherBody, "Bearer t", "k-1"),
                new SignedRequest("POST", "/api/v1/checkouts", body, "Bearer u", "k-1"),
                new SignedRequest("POST", "/api/v1/checkouts", body, null, "k-1"),
                new SignedRequest("POST", "/api/v1/checkouts", body, "Bearer t", "k-2"),
                new SignedRequest("POST", "/api/v1/checkouts", body, "Bearer t", null),
                new SignedRequest("POST", "/api/v1/checkouts", body, "Bearer t", ""))) {
            assertRejected(signing.verify("42", "7", ts, NONCE, sig, altered, NOW), Reason.BAD_SIGNATURE, "does not match");
        }
        assertRejected(signing.verify("42", "7", ts, "BBBBBBBBBBBBBBBBBBBBBB", sig, signed, NOW), Reason.BAD_SIGNATURE, "does not match");

        SignedRequest emptyKey = new SignedRequest("POST", "/x", BodyDigest.NONE, null, "");
        SignedRequest noKey = new SignedRequest("POST", "/x", BodyDigest.NONE, null, null);
        assertThat(signing.sign(SHOP, 7, NOW, NONCE, emptyKey)).as("an empty header is not an absent one")
                .isNotEqualTo(signing.sign(SHOP, 7, NOW, NONCE, noKey));
    }

    @Test
    void the_body_read_is_checked_against_the_signed_digest() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String digest = BodyDigest.of(body);
        assertThat(RequestSignature.checkBody(digest, ByteBuffer.wrap(body))).isNull();
        assertThat(RequestSignature.checkBody(BodyDigest.NONE, ByteBuffer.allocate(0))).isNull();
        assertThat(RequestSignature.checkBody(BodyDigest.UNSIGNED, ByteBuffer.allocate(0))).isNull();
        assertThat(RequestSignature.checkBody(digest, ByteBuffer.wrap("{\"a\":2}".getBytes(StandardCharsets.UTF_8))).reason())
                .isEqualTo(Reason.BODY_MISMATCH);
        assertThat(RequestSignature.checkBody(BodyDigest.NONE, ByteBuffer.wrap(body)).reason()).isEqualTo(Reason.BODY_MISMATCH);
        assertThat(RequestSignature.checkBody(BodyDigest.UNSIGNED, ByteBuffer.wrap(body)).reason()).isEqualTo(Reason.UNSIGNED_BODY);
    }

    @Test
    void a_signature_of_another_version_is_refused_naming_both_versions() {
        String ts = Long.toString(NOW);
        String v1 = "zJBq1KEJ88I0YgoSPTNYGh1Z87UOPuWE4efzn7NkGNg";
        assertRejected(signing.verify("42", "7", ts, null, v1, GET, NOW), Reason.UNSUPPORTED_VERSION, "is a v1 signature");
        assertRejected(signing.verify("42", "7", ts, NONCE, "v3:" + v1, GET, NOW), Reason.UNSUPPORTED_VERSION, "checks v2");
    }

    @Test
    void nonces_are_22_base64url_characters_and_never_repeat() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String nonce = Nonces.next();
            assertThat(Nonces.wellFormed(nonce)).isTrue();
            assertThat(seen.add(nonce)).isTrue();
        }
    }

    @Test
    void a_secret_shorter_than_32_bytes_is_refused_naming_its_length() {
        assertThatThrownBy(() -> new RequestSignature(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("31 bytes").hasMessageContaining("32");
        assertThatThrownBy(() -> new RequestSignature(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void changing_the_callers_secret_array_after_construction_changes_nothing() {
        byte[] secret = SECRET.clone();
        RequestSignature mine = new RequestSignature(secret);
        String before = mine.sign(SHOP, 7, NOW, NONCE, req("GET", PATH));
        secret[0] ^= 1;
        assertThat(mine.sign(SHOP, 7, NOW, NONCE, req("GET", PATH))).isEqualTo(before);
    }

    @Test
    void each_absent_or_empty_header_is_rejected_as_missing_naming_the_header() {
        String sig = signing.sign(SHOP, 7, NOW, NONCE, req("GET", PATH));
        String ts = Long.toString(NOW);
        assertRejected(signing.verify(null, "7", ts, NONCE, sig, req("GET", PATH), NOW), Reason.MISSING, "X-Cellshop-Shop-Id");
        assertRejected(signing.verify("42", "", ts, NONCE, sig, req("GET", PATH), NOW), Reason.MISSING, "X-Cellshop-Epoch");
        assertRejected(signing.verify("42", "7", null, NONCE, sig, req("GET", PATH), NOW), Reason.MISSING, "X-Cellshop-Timestamp");
        assertRejected(signing.verify("42", "7", ts, NONCE, null, req("GET", PATH), NOW), Reason.MISSING, "X-Cellshop-Signature");
        assertRejected(signing.verify("42", "7", ts, null, sig, req("GET", PATH), NOW), Reason.MISSING, "X-Cellshop-Nonce");
        assertRejected(signing.verify("42", "7", ts, NONCE, sig, new SignedRequest("GET", PATH, null, null, null), NOW),
                Reason.MISSING, "X-Cellshop-Body-Digest");
    }

    @Test
    void headers_not_in_the_form_a_router_writes_are_rejected_as_malformed() {
        String sig = signing.sign(SHOP, 7, NOW, NONCE, req("GET", PATH));
        String ts = Long.toString(NOW);
        assertRejected(signing.verify("abc", "7", ts, NONCE, sig, req("GET", PATH), NOW), Reason.MALFORMED, "X-Cellshop-Shop-Id");
        assertRejected(signing.verify("042", "7", ts, NONCE, sig, req("GET", PATH), NOW), Reason.MALFORMED, "X-Cellshop-Shop-Id");
        for (String epoch : new String[] {"0", "-7", "+7", "07", "7.0", " 7", "99999999999999999999"}) {
            assertRejected(signing.verify("42", epoch, ts, NONCE, sig, req("GET", PATH), NOW), Reason.MALFORMED, "X-Cellshop-Epoch");
        }
        for (String timestamp : new String[] {"-1", "now", "0" + ts, "1.7e12"}) {
            assertRejected(signing.verify("42", "7", timestamp, NONCE, sig, req("GET", PATH), NOW), Reason.MALFORMED, "X-Cellshop-Timestamp");
        }
        String mac = sig.substring(3, sig.length() - 1);
        for (String signature : new String[] {sig + "=", "v2:" + mac, "v2:" + mac + "+", "v2:" + mac + "/"}) {
            assertRejected(signing.verify("42", "7", ts, NONCE, signature, req("GET", PATH), NOW), Reason.MALFORMED, "X-Cellshop-Signature");
        }
        assertRejected(signing.verify("42", "7", ts, NONCE, sig, req("get", PATH), NOW), Reason.MALFORMED, "method");
        assertRejected(signing.verify("42", "7", ts, NONCE, sig, req("GET", "/a\nb"), NOW), Reason.MALFORMED, "line break");
        assertRejected(signing.verify("42", "7", ts, "short", sig, GET, NOW), Reason.MALFORMED, "X-Cellshop-Nonce");
        assertRejected(signing.verify("42", "7", ts, NONCE, sig, new SignedRequest("GET", PATH, "abc", null, null), NOW),
                Reason.MALFORMED, "X-Cellshop-Body-Digest");
        assertRejected(signing.verify("42", "7", ts, NONCE, sig, new SignedRequest("GET", PATH, BodyDigest.NONE, "a\r\nb", null), NOW),
                Reason.MALFORMED, "line break");
    }

    @Test
    void changing_any_signed_part_of_the_request_breaks_the_signature() {
        String sig = signing.sign(SHOP, 7, NOW, NONCE, req("POST", PATH));
        String ts = Long.toString(NOW);
        assertThat(signing.verify("42", "7", ts, NONCE, sig, req("POST", PATH), NOW).verified()).isTrue();

        assertRejected(signing.verify("43", "7", ts, NONCE, sig, req("POST", PATH), NOW), Reason.BAD_SIGNATURE, "does not match");
        assertRejected(signing.verify("42", "8", ts, NONCE, sig, req("POST", PATH), NOW), Reason.BAD_SIGNATURE, "does not match");
        assertRejected(signing.verify("42", "7", Long.toString(NOW + 1), NONCE, sig, req("POST", PATH), NOW), Reason.BAD_SIGNATURE, "does not match");
        assertRejected(signing.verify("42", "7", ts, NONCE, sig, req("PUT", PATH), NOW), Reason.BAD_SIGNATURE, "does not match");
        assertRejected(signing.verify("42", "7", ts, NONCE, sig, req("POST", "/api/v1/products"), NOW), Reason.BAD_SIGNATURE, "does not match");
        assertRejected(signing.verify("42", "7", ts, NONCE, sig, req("POST", "/api/v1/products?limit=11"), NOW), Reason.BAD_SIGNATURE, "does not match");
    }

    @Test
    void a_request_signed_with_another_secret_is_rejected_as_bad_signature_without_revealing_the_expected_one() {
        RequestSignature impostor = new RequestSignature("another secret of at least 32 bytes!".getBytes(StandardCharsets.US_ASCII));
        String forged = impostor.sign(SHOP, 7, NOW, NONCE, req("GET", PATH));

        Verification result = signing.verify("42", "7", Long.toString(NOW), NONCE, forged, req("GET", PATH), NOW);

        assertRejected(result, Reason.BAD_SIGNATURE, "another secret");
        assertThat(((Rejected) result).detail()).doesNotContain(signing.sign(SHOP, 7, NOW, NONCE, req("GET", PATH)));
    }

    @Test
    void a_genuine_signature_older_or_newer_than_30_seconds_is_stale_and_exactly_30_seconds_is_not() {
        String sig = signing.sign(SHOP, 7, NOW, NONCE, req("GET", PATH));
        String ts = Long.toString(NOW);
        assertThat(signing.verify("42", "7", ts, NONCE, sig, req("GET", PATH), NOW + 30_000).verified()).isTrue();
        assertThat(signing.verify("42", "7", ts, NONCE, sig, req("GET", PATH), NOW - 30_000).verified()).isTrue();
        assertRejected(signing.verify("42", "7", ts, NONCE, sig, req("GET", PATH), NOW + 30_001), Reason.STALE, "30001 ms behind");
        assertRejected(signing.verify("42", "7", ts, NONCE, sig, req("GET", PATH), NOW - 30_001), Reason.STALE, "30001 ms ahead of");
    }

    @Test
    void a_forged_signature_with_an_old_timestamp_is_a_bad_signature_not_stale() {
        String forged = new RequestSignature(new byte[32]).sign(SHOP, 7, 0, NONCE, req("GET", PATH));
        assertRejected(signing.verify("42", "7", "0", NONCE, forged, req("GET", PATH), NOW), Reason.BAD_SIGNATURE, "does not match");
    }

    @Test
    void the_max_skew_is_configurable_and_must_be_positive() {
        RequestSignature strict = new RequestSignature(SECRET, Duration.ofSeconds(2));
        String sig = strict.sign(SHOP, 7, NOW, NONCE, req("GET", PATH));
        assertThat(strict.verify("42", "7", Long.toString(NOW), NONCE, sig, req("GET", PATH), NOW + 2_000).verified()).isTrue();
        assertRejected(strict.verify("42", "7", Long.toString(NOW), NONCE, sig, req("GET", PATH), NOW + 2_001), Reason.STALE, "at most 2000 ms");
        assertThatThrownBy(() -> new RequestSignature(SECRET, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signing_refuses_what_a_router_must_never_send() {
        assertThatThrownBy(() -> signing.sign(SHOP, 0, NOW, NONCE, req("GET", PATH))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch 0");
        assertThatThrownBy(() -> signing.sign(SHOP, 7, -1, NONCE, req("GET", PATH))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> signing.sign(SHOP, 7, NOW, NONCE, req("G\nET", PATH))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("method");
        assertThatThrownBy(() -> signing.sign(SHOP, 7, NOW, NONCE, req("GET", "/x\r\n"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> signing.sign(SHOP, 7, NOW, NONCE, req("GET", ""))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
    }

    @Test
    void its_text_form_never_shows_the_secret() {
        assertThat(signing.toString()).doesNotContain("0123456789abcdef").contains("HmacSHA256");
    }

    @Test
    void sixteen_threads_signing_and_verifying_at_once_always_agree() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                long shop = t + 1;
                results.add(pool.submit((Callable<Integer>) () -> {
                    int verified = 0;
                    for (int i = 0; i < 5_000; i++) {
                        String path = "/api/v1/products/" + i;
                        String sig = signing.sign(ShopId.of(shop), i + 1, NOW + i, NONCE, req("GET", path));
                        Verification v = signing.verify(Long.toString(shop), Integer.toString(i + 1), Long.toString(NOW + i),
                                NONCE, sig, req("GET", path), NOW + i);
                        if (v.equals(new Verified(ShopId.of(shop), i + 1, NONCE))) {
                            verified++;
                        }
                    }
                    return verified;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(5_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void two_hundred_thousand_sign_and_verify_round_trips_all_verify() {
        int rounds = 200_000;
        int verified = 0;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            String sig = signing.sign(SHOP, 7, NOW, NONCE, req("GET", PATH));
            if (signing.verify("42", "7", "1700000000000", NONCE, sig, req("GET", PATH), NOW).verified()) {
                verified++;
            }
        }
        long nanos = System.nanoTime() - start;
        System.out.printf("RequestSignature: %d sign+verify round trips, %.2f us each (JIT warm-up included)%n",
                rounds, nanos / 1_000.0 / rounds);
        assertThat(verified).isEqualTo(rounds);
    }

    private static SignedRequest req(String method, String path) {
        return SignedRequest.bodiless(method, path);
    }

    private static void assertRejected(Verification result, Reason reason, String detailFragment) {
        assertThat(result).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(reason);
            assertThat(rejected.detail()).contains(detailFragment);
        });
    }
}
