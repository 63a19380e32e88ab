package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GtidPositionTest {

    @Test
    void a_mariadb_position_parses_per_domain_and_prints_back() {
        GtidPosition position = GtidPosition.parse("1-101-4,0-100-17");

        assertThat(position.domains().get(0L)).isEqualTo(new GtidPosition.Gtid(0, 100, 17));
        assertThat(position.toString()).isEqualTo("0-100-17,1-101-4");
        assertThat(GtidPosition.parse("")).isEqualTo(GtidPosition.EMPTY);
    }

    @Test
    void reached_and_lag_compare_sequences_per_domain() {
        GtidPosition applied = GtidPosition.parse("0-100-17");
        GtidPosition head = GtidPosition.parse("0-100-20,1-101-2");

        assertThat(applied.reached(head)).isFalse();
        assertThat(applied.transactionsBehind(head)).isEqualTo(5);
        GtidPosition after = applied.with(GtidPosition.Gtid.parse("0-100-20")).with(GtidPosition.Gtid.parse("1-101-2"));
        assertThat(after.reached(head)).isTrue();
        assertThat(after.transactionsBehind(head)).isZero();
    }

    @Test
    void garbage_is_refused_with_the_expected_form() {
        assertThatThrownBy(() -> GtidPosition.parse("3E11FA47-71CA-11E1-9E33-C80AA9429562:23"))
                .hasMessageContaining("domain-server-sequence");
        assertThatThrownBy(() -> GtidPosition.parse("0-1-2,0-1-3")).hasMessageContaining("twice");
    }
}
