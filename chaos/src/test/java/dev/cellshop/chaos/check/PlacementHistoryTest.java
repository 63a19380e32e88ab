package dev.cellshop.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.chaos.workload.Http;
import org.junit.jupiter.api.Test;

class PlacementHistoryTest {

    private static final long T0 = java.time.Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();

    /** Created on cell-a at T0, frozen at T0+10 s, switched to cell-b at T0+11 s. */
    private static PlacementHistory moved() throws Exception {
        JsonNode audit = Http.JSON.readTree("""
                [{"at": "2026-12-07T10:00:00Z", "action": "shop.create", "subject": "shop/5",
                  "after": {"shopId": "5", "placement": {"cellId": "cell-a", "state": "ACTIVE", "epoch": 1}}},
                 {"at": "2026-12-07T10:00:10Z", "action": "shop.freeze", "subject": "shop/5",
                  "after": {"cellId": "cell-a", "state": "FROZEN", "epoch": 2}},
                 {"at": "2026-12-07T10:00:11Z", "action": "shop.switch", "subject": "shop/5",
                  "after": {"cellId": "cell-b", "state": "ACTIVE", "epoch": 3}},
                 {"at": "2026-12-07T10:00:11Z", "action": "cell.register", "subject": "cell/cell-c", "after": {}}]
                """);
        return new PlacementHistory(audit);
    }

    @Test
    void the_current_placement_covers_every_write_after_it_however_late() throws Exception {
        PlacementHistory history = moved();

        var current = history.at(5, 3).orElseThrow();
        assertThat(current.covers(T0 + 11_500, 2, 6_000)).isTrue();
        assertThat(current.covers(T0 + 10_000, 2, 6_000)).isFalse();
        var frozen = history.at(5, 1).orElseThrow();
        assertThat(frozen.covers(T0 + 15_000, 2, 6_000)).isTrue();
        assertThat(frozen.covers(T0 + 16_001, 2, 6_000)).isFalse();
    }

    @Test
    void the_source_holds_a_shop_until_the_switch_frozen_included() throws Exception {
        PlacementHistory history = moved();

        assertThat(history.complete(5)).isTrue();
        assertThat(history.held(5, "cell-a", T0 + 10_500, T0 + 10_600)).isTrue();
        assertThat(history.held(5, "cell-a", T0 + 11_001, T0 + 12_000)).isFalse();
    }

    @Test
    void the_target_holds_a_shop_only_from_the_switch_on() throws Exception {
        PlacementHistory history = moved();

        assertThat(history.held(5, "cell-b", T0 + 5_000, T0 + 10_999)).isFalse();
        assertThat(history.held(5, "cell-b", T0 + 10_900, T0 + 11_100)).isTrue();
    }

    @Test
    void an_epoch_names_its_placement_and_lasts_until_the_next_one_was_made() throws Exception {
        PlacementHistory history = moved();

        assertThat(history.at(5, 1)).hasValueSatisfying(span -> {
            assertThat(span.placement().cell()).isEqualTo("cell-a");
            assertThat(span.placement().state()).isEqualTo("ACTIVE");
            assertThat(span.until()).isEqualTo(T0 + 10_000);
        });
        assertThat(history.at(5, 2)).hasValueSatisfying(span -> assertThat(span.placement().state()).isEqualTo("FROZEN"));
        assertThat(history.at(5, 3)).hasValueSatisfying(span -> assertThat(span.until()).isEqualTo(Long.MAX_VALUE));
        assertThat(history.at(5, 4)).isEmpty();
    }
}
