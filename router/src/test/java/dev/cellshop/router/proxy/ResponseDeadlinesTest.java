package dev.cellshop.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseDeadlinesTest {

    private final List<String> expired = new ArrayList<>();
    private final ResponseDeadlines deadlines = new ResponseDeadlines(1_000);

    private final class Named extends ResponseDeadlines.Waiting {
        final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        void expired() {
            expired.add(name);
        }
    }

    /** Exchanges armed at 0, 10, 20... ns, in the order given. */
    private Named[] armedTenApart(String... names) {
        Named[] armed = new Named[names.length];
        for (int i = 0; i < names.length; i++) {
            armed[i] = new Named(names[i]);
            deadlines.arm(armed[i], 10L * i);
        }
        return armed;
    }

    @Test
    void expiresOnlyWhatIsDueInDeadlineOrder() {
        Named[] abc = armedTenApart("a", "b", "c");

        assertThat(deadlines.expireDue(999)).isZero();
        assertThat(deadlines.expireDue(1_010)).isEqualTo(2);
        assertThat(expired).containsExactly("a", "b");
        assertThat(deadlines.size()).isEqualTo(1);
    }

    @Test
    void activityMovesAnExchangeToTheEndAndAnAnswerRemovesIt() {
        Named[] abc = armedTenApart("a", "b", "c");
        Named a = abc[0];
        Named b = abc[1];
        deadlines.arm(a, 500);   // a chunk arrived
        deadlines.disarm(b);     // answered in full
        deadlines.disarm(b);     // twice is harmless

        assertThat(deadlines.expireDue(1_020)).isEqualTo(1);
        assertThat(expired).containsExactly("c");
        assertThat(deadlines.expireDue(1_500)).isEqualTo(1);
        assertThat(expired).containsExactly("c", "a");
        assertThat(deadlines.size()).isZero();
    }

    @Test
    void anExpiredExchangeMayBeArmedAgainForItsRetry() {
        Named a = new Named("a");
        deadlines.arm(a, 0);
        deadlines.expireDue(1_000);
        deadlines.arm(a, 2_000);
        assertThat(deadlines.size()).isEqualTo(1);
        assertThat(deadlines.expireDue(3_000)).isEqualTo(1);
        assertThat(expired).containsExactly("a", "a");
    }

    @Test
    void refusesANonPositiveTimeout() {
        assertThatThrownBy(() -> new ResponseDeadlines(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }
}
