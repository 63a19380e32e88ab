package dev.cellshop.router.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void addresses_and_cidr_blocks_of_both_families_are_matched() throws Exception {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "172.16.0.0/12"));
        assertThat(proxies.contains(ip("10.200.3.4"))).isTrue();
        assertThat(proxies.contains(ip("11.0.0.1"))).isFalse();
        assertThat(proxies.contains(ip("192.0.2.7"))).isTrue();
        assertThat(proxies.contains(ip("192.0.2.8"))).isFalse();
        assertThat(proxies.contains(ip("172.31.255.255"))).isTrue();
        assertThat(proxies.contains(ip("172.32.0.0"))).isFalse();
        assertThat(proxies.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(proxies.contains(ip("2001:db9::1"))).isFalse();
    }

    @Test
    void the_client_is_the_right_most_forwarded_address_that_is_no_trusted_proxy() throws Exception {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8"));
        InetAddress peer = ip("10.0.0.1");
        assertThat(proxies.client(peer, "198.51.100.9")).isEqualTo(ip("198.51.100.9"));
        assertThat(proxies.client(peer, "6.6.6.6, 198.51.100.9, 10.0.0.2")).as("a forged left part is skipped")
                .isEqualTo(ip("198.51.100.9"));
        assertThat(proxies.client(peer, null)).isEqualTo(peer);
        assertThat(proxies.client(peer, "evil.example")).as("never a name: no DNS lookup on the event loop").isEqualTo(peer);
    }

    @Test
    void a_bad_entry_is_refused_with_its_text() {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("proxy.example"))).hasMessageContaining("proxy.example");
    }
}
