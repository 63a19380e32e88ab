package dev.cellshop.kernel.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.signing.Verification.Reason;
import dev.cellshop.kernel.signing.Verification.Rejected;
import dev.cellshop.kernel.signing.Verification.Verified;
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

    private final RequestSignature signing = new RequestSignature(SECRET);

    @Test
    void a_request_signed_by_the_router_verifies_with_its_shop_and_epoch() {
        String signature = signing.sign(SHOP, 7, NOW, "GET", PATH);

        Verification result = signing.verify("42", "7", Long.toString(NOW), signature, "GET", PATH, NOW + 5);

        assertThat(result).isEqualTo(new Verified(SHOP, 7));
        assertThat(result.verified()).isTrue();
    }

    @Test
    void the_signature_is_unpadded_base64url_of_hmac_sha256_over_the_documented_canonical_string() {
        // Computed independently: printf '42\n7\n1700000000000\nGET\n/api/v1/products?limit=10'
        //   | openssl dgst -sha256 -mac HMAC -macopt key:0123456789abcdef0123456789abcdef -binary | basenc --base64url
        assertThat(signing.sign(SHOP, 7, NOW, "GET", PATH)).isEqualTo("zJBq1KEJ88I0YgoSPTNYGh1Z87UOPuWE4efzn7NkGNg");
    }

    @Test
    void a_path_beyond_ascii_is_signed_as_the_utf8_of_the_canonical_string_and_verifies() throws Exception {
        String path = "/api/v1/products?q=caf\u00e9&x=\u20ac";
        javax.crypto.Mac jdk = javax.crypto.Mac.getInstance("HmacSHA256");
        jdk.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        String canonical = "42\n7\n" + NOW + "\nPOST\n" + path;
        String expected = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(jdk.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));

        assertThat(signing.sign(SHOP, 7, NOW, "POST", path)).isEqualTo(expected);
        assertThat(new String(signing.signAscii(SHOP, 7, NOW, "POST", path), StandardCharsets.US_ASCII)).isEqualTo(expected);
        assertThat(signing.verify("42", "7", Long.toString(NOW), expected, "POST", path, NOW).verified()).isTrue();
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
        String before = mine.sign(SHOP, 7, NOW, "GET", PATH);
        secret[0] ^= 1;
        assertThat(mine.sign(SHOP, 7, NOW, "GET", PATH)).isEqualTo(before);
    }

    @Test
    void each_absent_or_empty_header_is_rejected_as_missing_naming_the_header() {
        String sig = signing.sign(SHOP, 7, NOW, "GET", PATH);
        String ts = Long.toString(NOW);
        assertRejected(signing.verify(null, "7", ts, sig, "GET", PATH, NOW), Reason.MISSING, "X-Cellshop-Shop-Id");
        assertRejected(signing.verify("42", "", ts, sig, "GET", PATH, NOW), Reason.MISSING, "X-Cellshop-Epoch");
        assertRejected(signing.verify("42", "7", null, sig, "GET", PATH, NOW), Reason.MISSING, "X-Cellshop-Timestamp");
        assertRejected(signing.verify("42", "7", ts, null, "GET", PATH, NOW), Reason.MISSING, "X-Cellshop-Signature");
    }

    @Test
    void headers_not_in_the_form_a_router_writes_are_rejected_as_malformed() {
        String sig = signing.sign(SHOP, 7, NOW, "GET", PATH);
        String ts = Long.toString(NOW);
        assertRejected(signing.verify("abc", "7", ts, sig, "GET", PATH, NOW), Reason.MALFORMED, "X-Cellshop-Shop-Id");
        assertRejected(signing.verify("042", "7", ts, sig, "GET", PATH, NOW), Reason.MALFORMED, "X-Cellshop-Shop-Id");
        for (String epoch : new String[] {"0", "-7", "+7", "07", "7.0", " 7", "99999999999999999999"}) {
            assertRejected(signing.verify("42", epoch, ts, sig, "GET", PATH, NOW), Reason.MALFORMED, "X-Cellshop-Epoch");
        }
        for (String timestamp : new String[] {"-1", "now", "0" + ts, "1.7e12"}) {
            assertRejected(signing.verify("42", "7", timestamp, sig, "GET", PATH, NOW), Reason.MALFORMED, "X-Cellshop-Timestamp");
        }
        for (String signature : new String[] {sig + "=", sig.substring(1), sig.substring(1) + "+", sig.substring(1) + "/"}) {
            assertRejected(signing.verify("42", "7", ts, signature, "GET", PATH, NOW), Reason.MALFORMED, "X-Cellshop-Signature");
        }
        assertRejected(signing.verify("42", "7", ts, sig, "get", PATH, NOW), Reason.MALFORMED, "method");
        assertRejected(signing.verify("42", "7", ts, sig, "GET", "/a\nb", NOW), Reason.MALFORMED, "line break");
    }

    @Test
    void changing_any_signed_part_of_the_request_breaks_the_signature() {
        String sig = signing.sign(SHOP, 7, NOW, "POST", PATH);
        String ts = Long.toString(NOW);
        assertThat(signing.verify("42", "7", ts, sig, "POST", PATH, NOW).verified()).isTrue();

        assertRejected(signing.verify("43", "7", ts, sig, "POST", PATH, NOW), Reason.BAD_SIGNATURE, "does not match");
        assertRejected(signing.verify("42", "8", ts, sig, "POST", PATH, NOW), Reason.BAD_SIGNATURE, "does not match");
        assertRejected(signing.verify("42", "7", Long.toString(NOW + 1), sig, "POST", PATH, NOW), Reason.BAD_SIGNATURE, "does not match");
        assertRejected(signing.verify("42", "7", ts, sig, "PUT", PATH, NOW), Reason.BAD_SIGNATURE, "does not match");
        assertRejected(signing.verify("42", "7", ts, sig, "POST", "/api/v1/products", NOW), Reason.BAD_SIGNATURE, "does not match");
        assertRejected(signing.verify("42", "7", ts, sig, "POST", "/api/v1/products?limit=11", NOW), Reason.BAD_SIGNATURE, "does not match");
    }

    @Test
    void a_request_signed_with_another_secret_is_rejected_as_bad_signature_without_revealing_the_expected_one() {
        RequestSignature impostor = new RequestSignature("another secret of at least 32 bytes!".getBytes(StandardCharsets.US_ASCII));
        String forged = impostor.sign(SHOP, 7, NOW, "GET", PATH);

        Verification result = signing.verify("42", "7", Long.toString(NOW), forged, "GET", PATH, NOW);

        assertRejected(result, Reason.BAD_SIGNATURE, "another secret");
        assertThat(((Rejected) result).detail()).doesNotContain(signing.sign(SHOP, 7, NOW, "GET", PATH));
    }

    @Test
    void a_genuine_signature_older_or_newer_than_30_seconds_is_stale_and_exactly_30_seconds_is_not() {
        String sig = signing.sign(SHOP, 7, NOW, "GET", PATH);
        String ts = Long.toString(NOW);
        assertThat(signing.verify("42", "7", ts, sig, "GET", PATH, NOW + 30_000).verified()).isTrue();
        assertThat(signing.verify("42", "7", ts, sig, "GET", PATH, NOW - 30_000).verified()).isTrue();
        assertRejected(signing.verify("42", "7", ts, sig, "GET", PATH, NOW + 30_001), Reason.STALE, "30001 ms behind");
        assertRejected(signing.verify("42", "7", ts, sig, "GET", PATH, NOW - 30_001), Reason.STALE, "30001 ms ahead of");
    }

    @Test
    void a_forged_signature_with_an_old_timestamp_is_a_bad_signature_not_stale() {
        String forged = new RequestSignature(new byte[32]).sign(SHOP, 7, 0, "GET", PATH);
        assertRejected(signing.verify("42", "7", "0", forged, "GET", PATH, NOW), Reason.BAD_SIGNATURE, "does not match");
    }

    @Test
    void the_max_skew_is_configurable_and_must_be_positive() {
        RequestSignature strict = new RequestSignature(SECRET, Duration.ofSeconds(2));
        String sig = strict.sign(SHOP, 7, NOW, "GET", PATH);
        assertThat(strict.verify("42", "7", Long.toString(NOW), sig, "GET", PATH, NOW + 2_000).verified()).isTrue();
        assertRejected(strict.verify("42", "7", Long.toString(NOW), sig, "GET", PATH, NOW + 2_001), Reason.STALE, "at most 2000 ms");
        assertThatThrownBy(() -> new RequestSignature(SECRET, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signing_refuses_what_a_router_must_never_send() {
        assertThatThrownBy(() -> signing.sign(SHOP, 0, NOW, "GET", PATH)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch 0");
        assertThatThrownBy(() -> signing.sign(SHOP, 7, -1, "GET", PATH)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> signing.sign(SHOP, 7, NOW, "G\nET", PATH)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("method");
        assertThatThrownBy(() -> signing.sign(SHOP, 7, NOW, "GET", "/x\r\n")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> signing.sign(SHOP, 7, NOW, "GET", "")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
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
                        String sig = signing.sign(ShopId.of(shop), i + 1, NOW + i, "GET", path);
                        Verification v = signing.verify(Long.toString(shop), Integer.toString(i + 1), Long.toString(NOW + i),
                                sig, "GET", path, NOW + i);
                        if (v.equals(new Verified(ShopId.of(shop), i + 1))) {
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
            String sig = signing.sign(SHOP, 7, NOW, "GET", PATH);
            if (signing.verify("42", "7", "1700000000000", sig, "GET", PATH, NOW).verified()) {
                verified++;
            }
        }
        long nanos = System.nanoTime() - start;
        System.out.printf("RequestSignature: %d sign+verify round trips, %.2f us each (JIT warm-up included)%n",
                rounds, nanos / 1_000.0 / rounds);
        assertThat(verified).isEqualTo(rounds);
    }

    private static void assertRejected(Verification result, Reason reason, String detailFragment) {
        assertThat(result).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(reason);
            assertThat(rejected.detail()).contains(detailFragment);
        });
    }
}
