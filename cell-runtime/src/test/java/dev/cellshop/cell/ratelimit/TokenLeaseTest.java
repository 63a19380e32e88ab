package dev.cellshop.cell.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenLeaseTest {

    private static final long LEASE = Duration.ofMillis(100).toNanos();
    private static final long MS = 1_000_000;

    @Test
    void a_grant_of_ten_is_one_for_the_caller_and_nine_spent_locally_then_none() {
        TokenLease lease = new TokenLease(LEASE);
        lease.granted(0, 10);

        for (int i = 1; i <= 9; i++) {
            assertThat(lease.trySpend(i * MS)).as("leased token %d", i).isTrue();
        }
        assertThat(lease.trySpend(10 * MS)).isFalse();
    }

    @Test
    void an_expired_lease_spends_nothing_and_hands_its_rest_back_once() {
        TokenLease lease = new TokenLease(LEASE);
        lease.granted(0, 10);
        lease.trySpend(MS);

        assertThat(lease.takeExpired(99 * MS)).as("not expired yet").isZero();
        assertThat(lease.trySpend(100 * MS)).isFalse();
        assertThat(lease.takeExpired(100 * MS)).isEqualTo(8);
        assertThat(lease.takeExpired(101 * MS)).isZero();
    }

    @Test
    void a_refusal_holds_until_the_token_is_due_but_never_longer_than_a_lease() {
        TokenLease lease = new TokenLease(LEASE);

        lease.refused(0, 30);
        assertThat(lease.refusedForMillis(0)).isEqualTo(30);
        assertThat(lease.refusedForMillis(29 * MS + 1)).isEqualTo(1);
        assertThat(lease.refusedForMillis(30 * MS)).isZero();

        lease.refused(0, 5_000);
        assertThat(lease.refusedForMillis(99 * MS)).isEqualTo(1);
        assertThat(lease.refusedForMillis(100 * MS)).isZero();
    }

    @Test
    void a_grant_lifts_a_refusal() {
        TokenLease lease = new TokenLease(LEASE);
        lease.refused(0, 50);

        lease.granted(MS, 2);

        assertThat(lease.refusedForMillis(2 * MS)).isZero();
        assertThat(lease.trySpend(2 * MS)).isTrue();
    }

    @Test
    void without_a_lease_time_nothing_is_spent_locally_and_no_refusal_is_remembered() {
        TokenLease lease = new TokenLease(0);
        lease.granted(0, 1);
        lease.refused(0, 500);

        assertThat(lease.trySpend(0)).isFalse();
        assertThat(lease.refusedForMillis(0)).isZero();
    }

    @Test
    void a_lease_is_the_refill_of_one_lease_time_at_most_a_tenth_of_the_bucket_and_the_configured_cap() {
        RateLimitSettings settings = new RateLimitSettings(RateLimitSettings.DEFAULT_LIMIT, Map.of(),
                Duration.ofMillis(250), Duration.ofMillis(100), 100);

        assertThat(settings.leaseSizeOf(new Limit(2_000, 1_000))).as("100 ms of 1,000/s").isEqualTo(100);
        assertThat(settings.leaseSizeOf(new Limit(10_000_000, 10_000_000))).as("the cap").isEqualTo(100);
        assertThat(settings.leaseSizeOf(new Limit(200, 1_000))).as("a tenth of the bucket").isEqualTo(20);
        assertThat(settings.leaseSizeOf(new Limit(5, 0.001))).as("a small bucket asks Redis every time").isEqualTo(1);
        assertThat(settings.leaseSizeOf(new Limit(2_000, 5))).as("a slow refill asks Redis every time").isEqualTo(1);
        assertThat(new RateLimitSettings(RateLimitSettings.DEFAULT_LIMIT, Map.of(), Duration.ofMillis(250), Duration.ZERO, 100)
                .leaseSizeOf(new Limit(2_000, 1_000))).as("leases off").isEqualTo(1);
    }
}
