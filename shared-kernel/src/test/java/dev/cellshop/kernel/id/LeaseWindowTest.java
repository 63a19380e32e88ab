package dev.cellshop.kernel.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseWindowTest {

    private static final Duration SESSION = Duration.ofSeconds(180);
    private static final Duration MARGIN = Duration.ofSeconds(2);

    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L); // a monotonic clock may well be negative
    private final LeaseWindow window = new LeaseWindow(nanos::get, MARGIN);

    @Test
    void a_window_never_confirmed_is_closed() {
        assertThat(window.isOpen()).isFalse();
        assertThat(window.remaining()).isZero();
    }

    @Test
    void ids_flow_until_the_session_timeout_less_the_margin_after_the_last_confirmed_request_was_sent() {
        long sentAt = nanos.get();
        advance(Duration.ofMillis(40)); // the round trip
        window.confirmed(sentAt, SESSION);

        advance(Duration.ofSeconds(177).minusMillis(40).minusNanos(1)); // ZooKeeper silent from here on
        assertThat(window.isOpen()).isTrue();
        assertThat(window.remaining()).isEqualTo(Duration.ofSeconds(1).plusNanos(1));

        advance(Duration.ofSeconds(1).plusNanos(1));
        assertThat(window.isOpen()).as("at sent + 178 s: within the 2 s margin of the earliest expiry").isFalse();
        assertThat(window.remaining()).isZero();
    }

    @Test
    void the_window_counts_from_when_the_request_was_sent_not_from_when_its_answer_came() {
        long sentAt = nanos.get();
        advance(Duration.ofSeconds(30)); // a slow answer: the server may have touched the session at once
        window.confirmed(sentAt, SESSION);

        advance(Duration.ofSeconds(148));
        assertThat(window.isOpen()).isFalse();
    }

    @Test
    void every_heartbeat_answered_moves_the_end_of_the_window() {
        window.confirmed(nanos.get(), SESSION);
        for (int beat = 0; beat < 600; beat++) { // ten minutes of heartbeats, far past one session timeout
            advance(Duration.ofSeconds(1));
            window.confirmed(nanos.get(), SESSION);
        }
        advance(Duration.ofSeconds(177));
        assertThat(window.isOpen()).isTrue();
        advance(Duration.ofSeconds(1));
        assertThat(window.isOpen()).isFalse();
    }

    @Test
    void a_renegotiated_shorter_session_timeout_shortens_the_window_at_once() {
        window.confirmed(nanos.get(), SESSION);
        advance(Duration.ofSeconds(1));
        window.confirmed(nanos.get(), Duration.ofSeconds(40)); // ZooKeeper came back with a lower maxSessionTimeout

        advance(Duration.ofSeconds(38));
        assertThat(window.isOpen()).isFalse();
    }

    @Test
    void a_lost_session_closes_the_window_at_once_and_only_a_new_confirmation_opens_it() {
        window.confirmed(nanos.get(), SESSION);
        advance(Duration.ofSeconds(5));

        window.close();
        assertThat(window.isOpen()).isFalse();
        assertThat(window.remaining()).isZero();

        window.confirmed(nanos.get(), SESSION);
        assertThat(window.isOpen()).isTrue();
        assertThat(window.remaining()).isEqualTo(SESSION.minus(MARGIN));
    }

    @Test
    void a_session_timeout_shorter_than_the_margin_issues_no_id_at_all() {
        window.confirmed(nanos.get(), Duration.ofSeconds(1));
        assertThat(window.isOpen()).isFalse();
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
