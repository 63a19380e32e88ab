package dev.cellshop.cell.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecisionTest {

    @Test
    void retry_after_seconds_round_up_so_a_client_never_comes_back_too_early() {
        assertThat(Decision.refuse(1).retryAfterSeconds()).isEqualTo(1);
        assertThat(Decision.refuse(1_000).retryAfterSeconds()).isEqualTo(1);
        assertThat(Decision.refuse(1_001).retryAfterSeconds()).isEqualTo(2);
    }

    @Test
    void a_refusal_always_names_a_positive_wait_and_an_allowance_none() {
        assertThat(Decision.allow().retryAfterMillis()).isZero();
        assertThatThrownBy(() -> Decision.refuse(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision(true, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_limit_needs_room_for_one_request_and_a_refill_redis_can_expire() {
        assertThatThrownBy(() -> new Limit(0, 1)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new Limit(1, 0)).hasMessageContaining("refill");
        assertThatThrownBy(() -> new Limit(1, Double.NaN)).hasMessageContaining("refill");
        assertThat(new Limit(1, 0.001).capacity()).isEqualTo(1);
    }
}
