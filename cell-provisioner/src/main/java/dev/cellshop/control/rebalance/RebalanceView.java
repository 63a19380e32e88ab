package dev.cellshop.control.rebalance;

import dev.cellshop.control.mover.MovePhase;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import java.util.List;

/**
 * A rebalance as {@code POST|GET /v1/rebalance} answer it: the plan (level, tolerance, each
 * ACTIVE cell before and after) and its moves; for a run, each move's {@code moveId} once
 * started, its phase, and why it did not complete.
 */
public record RebalanceView(String rebalanceId, boolean dryRun, boolean running, String startedAt, String endedAt,
                            double level, double tolerance, int maxMoves, boolean capped, boolean balanced,
                            List<CellBalance> cells, List<Move> moves) {

    /**
     * @param moveId null until the move is started (a dry run never starts one)
     * @param phase  the move's phase as last seen; null until started
     * @param detail why a move was not started or did not complete
     */
    public record Move(ShopId shopId, CellId from, CellId to, String moveId, MovePhase phase, String detail) {

        static Move planned(PlannedMove move) {
            return new Move(move.shopId(), move.from(), move.to(), null, null, null);
        }

        Move seen(String id, MovePhase now, String why) {
            return new Move(shopId, from, to, id, now, why);
        }

        boolean stopped() {
            return detail != null || phase == MovePhase.COMPLETED || phase == MovePhase.ABORTED;
        }
    }

    static RebalanceView of(String id, boolean dryRun, boolean running, String startedAt, String endedAt, RebalancePlan plan,
                            List<Move> moves) {
        return new RebalanceView(id, dryRun, running, startedAt, endedAt, plan.level(), plan.tolerance(), plan.maxMoves(),
                plan.capped(), plan.balanced(), plan.cells(), moves);
    }
}
