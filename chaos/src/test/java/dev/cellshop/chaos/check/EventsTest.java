package dev.cellshop.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.chaos.workload.History;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsTest {

    private static final long SHOP = 7;
    private static final long ORDER = 100;

    private static Invariant check(String status, OrderEvents.Event... events) {
        CellRows rows = CellRows.of(List.of(new CellRows.OrderRow("cell-a", SHOP, ORDER, status, 0, 1, Map.of(1L, 1))), List.of());
        return Events.check(new Evidence(new History(), List.of(), rows, Map.of(SHOP, "cell-a"), new PlacementHistory(
                dev.cellshop.chaos.workload.Http.JSON.createArrayNode()), Map.of(ORDER, List.of(events))));
    }

    private static OrderEvents.Event event(String type, String id, long offset) {
        return new OrderEvents.Event(SHOP, ORDER, id, "order." + type, offset);
    }

    @Test
    void duplicates_of_one_event_id_are_dropped_not_counted_as_violations() {
        Invariant verdict = check("PAID", event("created", "1", 0), event("created", "1", 1), event("paid", "2", 2), event("created", "1", 3));

        assertThat(verdict.violations()).isZero();
    }

    @Test
    void a_payment_published_before_the_creation_is_out_of_order() {
        Invariant verdict = check("PAID", event("paid", "2", 0), event("created", "1", 1));

        assertThat(verdict.violations()).isEqualTo(1);
        assertThat(verdict.report()).anyMatch(line -> line.contains("events out of order"));
    }

    @Test
    void an_order_whose_last_change_was_never_published_is_a_violation() {
        Invariant verdict = check("CANCELLED", event("created", "1", 0), event("paid", "2", 1));

        assertThat(verdict.report()).anyMatch(line -> line.contains("is CANCELLED but its events end at PAID"));
    }

    @Test
    void one_change_published_under_two_event_ids_is_a_violation() {
        Invariant verdict = check("PENDING", event("created", "1", 0), event("created", "9", 1));

        assertThat(verdict.report()).anyMatch(line -> line.contains("under two event ids"));
    }
}
