package dev.cellshop.chaos.check;

import dev.cellshop.chaos.workload.Http;
import java.util.List;

/** The run's invariants, in the order they are printed. */
public final class Checker {

    private Checker() {
    }

    public static List<Invariant> check(Evidence evidence, Http router) {
        return List.of(AcknowledgedOrders.check(evidence), Stock.check(evidence), Events.check(evidence), Fencing.check(evidence),
                Carts.check(evidence, router));
    }
}
