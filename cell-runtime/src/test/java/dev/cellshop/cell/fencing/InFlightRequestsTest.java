package dev.cellshop.cell.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightRequestsTest {

    private static final ShopId SHOP = ShopId.of(7);
    private final InFlightRequests inFlight = new InFlightRequests();

    /**
     * The race of issue 15: a cutover's quiescence question answered between the placement
     * decision and the count would see 0 while an admitted request is about to write. Here the
     * question is asked at the worst moment, from inside the decision.
     */
    @Test
    void a_request_already_counts_as_in_flight_while_its_placement_is_decided() {
        AtomicInteger seenDuringDecision = new AtomicInteger(-1);

        Decision decision = inFlight.admit(SHOP, () -> {
            seenDuringDecision.set(inFlight.count(SHOP));
            return new Decision.Serve(Placement.initial(CellId.of("cell-a")));
        });

        assertThat(decision.serves()).isTrue();
        assertThat(seenDuringDecision.get()).isEqualTo(1);
        assertThat(inFlight.count(SHOP)).as("served: counted until it ends").isEqualTo(1);
        inFlight.leave(SHOP);
        assertThat(inFlight.count(SHOP)).isZero();
    }

    @Test
    void a_refused_request_is_uncounted_at_once() {
        Decision decision = inFlight.admit(SHOP, () -> new Decision.Misdirected("shop 7 is FROZEN"));

        assertThat(decision.serves()).isFalse();
        assertThat(inFlight.count(SHOP)).isZero();
    }

    @Test
    void a_decision_that_throws_leaves_nothing_counted() {
        assertThatThrownBy(() -> inFlight.admit(SHOP, () -> {
            throw new IllegalStateException("view closed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(inFlight.count(SHOP)).isZero();
    }
}
