package dev.cellshop.router.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstancePoolTest {

    private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");

    private static InstanceDescriptor instance(int port) {
        return InstanceDescriptor.of("i-" + port, "127.0.0.1", port, STARTED);
    }

    @Test
    void twoChoicesPreferTheInstanceWithFewerRequestsInFlight() {
        InstancePool pool = new InstancePool(CellId.of("cell-a"));
        pool.replace(List.of(instance(1), instance(2)));
        Upstream busy = pool.members().get(0);
        for (int i = 0; i < 10; i++) {
            busy.started();
        }
        for (int i = 0; i < 100; i++) {
            assertThat(pool.pick(0, null)).isNotSameAs(busy);
        }
    }

    @Test
    void spreadsLoadEvenlyAcrossIdleInstances() {
        InstancePool pool = new InstancePool(CellId.of("cell-a"));
        pool.replace(List.of(instance(1), instance(2), instance(3), instance(4)));
        Map<Upstream, Integer> picks = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            picks.merge(pool.pick(0, null), 1, Integer::sum);
        }
        assertThat(picks).hasSize(4);
        assertThat(picks.values()).allSatisfy(n -> assertThat(n).isBetween(8_500, 11_500));
    }

    @Test
    void skipsEjectedAndAvoidedInstancesAndReturnsNullWhenNoneIsLeft() {
        InstancePool pool = new InstancePool(CellId.of("cell-a"));
        pool.replace(List.of(instance(1), instance(2)));
        Upstream first = pool.members().get(0);
        Upstream second = pool.members().get(1);
        first.eject(100);
        for (int i = 0; i < 50; i++) {
            assertThat(pool.pick(50, null)).isSameAs(second);
        }
        assertThat(pool.pick(50, second)).as("the only other one is ejected").isNull();
        assertThat(pool.pick(100, second)).as("ejection over").isSameAs(first);
    }

    @Test
    void routesToInstancesThatFailTheirProbeWhenAllDoButNotToEjectedOnes() {
        InstancePool pool = new InstancePool(CellId.of("cell-a"));
        pool.replace(List.of(instance(1), instance(2)));
        pool.members().forEach(u -> u.probed(false, 0));
        assertThat(pool.pick(0, null)).as("panic mode").isNotNull();
        pool.members().forEach(u -> u.eject(1000));
        assertThat(pool.pick(10, null)).isNull();
    }

    @Test
    void membershipChangesKeepTheStateOfInstancesThatStay() {
        InstancePool pool = new InstancePool(CellId.of("cell-a"));
        pool.replace(List.of(instance(1), instance(2)));
        Upstream kept = pool.members().get(0);
        kept.started();
        pool.replace(List.of(instance(1), instance(3)));
        assertThat(pool.members()).hasSize(2).contains(kept);
        assertThat(kept.outstanding()).isEqualTo(1);
        pool.replace(List.of());
        assertThat(pool.pick(0, null)).isNull();
    }
}
