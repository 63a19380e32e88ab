package dev.cellshop.router.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientRateLimitTest {

    private static final long SECOND = 1_000_000_000L;
    private static final TrustedProxies NONE = TrustedProxies.of(List.of());

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no lookup
    }

    @Test
    void a_client_gets_its_burst_at_once_then_its_rate_and_a_retry_after_for_the_rest() throws Exception {
        ClientRateLimit limit = new ClientRateLimit(10, 5, 100, NONE);
        InetAddress client = ip("192.0.2.1");
        long now = 42 * SECOND;
        for (int i = 0; i < 5; i++) {
            assertThat(limit.acquire(client, now)).as("request %d of the burst", i).isZero();
        }
        assertThat(limit.acquire(client, now)).as("one past the burst: wait a second (rounded up)").isEqualTo(1);
        assertThat(limit.acquire(client, now + SECOND / 10)).as("a tenth of a second later: one more token").isZero();
        assertThat(limit.acquire(client, now + SECOND / 10)).isEqualTo(1);
        assertThat(limit.acquire(ip("192.0.2.2"), now)).as("another client has a bucket of its own").isZero();
    }

    @Test
    void a_client_that_waits_long_enough_has_its_whole_burst_again_but_never_more() throws Exception {
        ClientRateLimit limit = new ClientRateLimit(2, 2, 100, NONE);
        InetAddress client = ip("192.0.2.1");
        long now = -5 * SECOND; // nanoTime may be negative
        assertThat(limit.acquire(client, now)).isZero();
        assertThat(limit.acquire(client, now)).isZero();
        assertThat(limit.acquire(client, now)).isPositive();
        long later = now + 60 * SECOND;
        assertThat(limit.acquire(client, later)).isZero();
        assertThat(limit.acquire(client, later)).isZero();
        assertThat(limit.acquire(client, later)).as("a minute of quiet buys no more than the burst").isPositive();
    }

    @Test
    void idle_buckets_are_evicted_and_past_the_cap_a_new_client_is_let_through_untracked() throws Exception {
        ClientRateLimit limit = new ClientRateLimit(1, 1, 2, NONE);
        long now = 0;
        limit.acquire(ip("192.0.2.1"), now);
        limit.acquire(ip("192.0.2.2"), now);
        assertThat(limit.acquire(ip("192.0.2.3"), now)).isZero();
        assertThat(limit.acquire(ip("192.0.2.3"), now)).as("not tracked: the table is full").isZero();
        assertThat(limit.tracked()).isEqualTo(2);
        limit.evictIdle(now + 2 * SECOND);
        assertThat(limit.tracked()).isZero();
        assertThat(limit.acquire(ip("192.0.2.3"), now + 2 * SECOND)).isZero();
        assertThat(limit.acquire(ip("192.0.2.3"), now + 2 * SECOND)).as("tracked now").isPositive();
    }

    @Test
    void ipv6_clients_share_a_bucket_per_64_block() throws Exception {
        ClientRateLimit limit = new ClientRateLimit(1, 1, 100, NONE);
        assertThat(limit.acquire(ip("2001:db8:1:2::1"), 0)).isZero();
        assertThat(limit.acquire(ip("2001:db8:1:2::ffff"), 0)).as("same /64").isPositive();
        assertThat(limit.acquire(ip("2001:db8:1:3::1"), 0)).as("another /64").isZero();
    }
}
