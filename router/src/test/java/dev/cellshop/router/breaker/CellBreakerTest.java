package dev.cellshop.router.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.router.breaker.CellBreaker.State;
import org.junit.jupiter.api.Test;

class CellBreakerTest {

    private static final long OPEN = 1_000_000_000L;

    @Test
    void opensAfterTheThresholdOfConsecutiveFailuresOnly() {
        CellBreaker breaker = new CellBreaker(3, OPEN);
        breaker.onFailure(0);
        breaker.onFailure(0);
        breaker.onSuccess(); // a success in between resets the count
        breaker.onFailure(0);
        breaker.onFailure(0);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire(0)).isTrue();
        breaker.onFailure(10);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.tryAcquire(20)).isFalse();
        assertThat(breaker.retryAfterSeconds(20)).isEqualTo(1);
    }

    @Test
    void letsExactlyOneProbeThroughOnceOpenTimeIsUpAndItsResultDecides() {
        CellBreaker breaker = new CellBreaker(1, OPEN);
        breaker.onFailure(0);
        assertThat(breaker.tryAcquire(OPEN - 1)).isFalse();
        assertThat(breaker.tryAcquire(OPEN)).as("the probe").isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.tryAcquire(OPEN)).as("no second request while the probe runs").isFalse();
        breaker.onFailure(OPEN + 5);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.tryAcquire(2 * OPEN)).isFalse();
        assertThat(breaker.tryAcquire(2 * OPEN + 5)).isTrue();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire(2 * OPEN + 6)).isTrue();
    }

    @Test
    void retryAfterRoundsTheRemainingOpenTimeUp() {
        CellBreaker breaker = new CellBreaker(1, 5 * OPEN);
        breaker.onFailure(0);
        assertThat(breaker.retryAfterSeconds(OPEN / 2)).isEqualTo(5);
        assertThat(breaker.retryAfterSeconds(4 * OPEN + 1)).isEqualTo(1);
    }
}
