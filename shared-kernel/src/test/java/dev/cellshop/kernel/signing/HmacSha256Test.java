package dev.cellshop.kernel.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha256Test {

    @Test
    void equals_the_jdks_hmac_for_keys_shorter_equal_and_longer_than_a_block_and_messages_across_block_edges() throws Exception {
        Random random = new Random(20261127);
        for (int keyLength : new int[] {32, 48, 63, 64, 65, 100, 200}) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            HmacSha256 ours = new HmacSha256(key);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            for (int length : new int[] {0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000}) {
                byte[] message = new byte[length + 7]; // longer than the part signed: only [0, length) counts
                random.nextBytes(message);
                byte[] out = new byte[40];
                ours.mac(message, length, out, 5);
                jdk.update(message, 0, length);
                byte[] expected = jdk.doFinal();
                assertThat(java.util.Arrays.copyOfRange(out, 5, 37)).as("key %d bytes, message %d bytes", keyLength, length)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void one_instance_gives_the_same_mac_again_after_other_messages() {
        HmacSha256 mac = new HmacSha256("0123456789abcdef0123456789abcdef".getBytes());
        byte[] first = new byte[32];
        byte[] again = new byte[32];
        mac.mac("one".getBytes(), 3, first, 0);
        mac.mac("two, longer than the first".getBytes(), 26, new byte[32], 0);
        mac.mac("one".getBytes(), 3, again, 0);
        assertThat(again).isEqualTo(first);
    }
}
