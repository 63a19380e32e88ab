package dev.cellshop.control.rebalance;

import java.util.List;

/**
 * What a rebalance would do.
 *
 * @param level     the utilisation every ACTIVE cell is brought near: all their shops over all their capacity
 * @param tolerance how far from the level a cell may stay (utilisation, 0..1); a cell is never asked to be
 *                  closer than one of its shops
 * @param maxMoves  the cap the plan was made under
 * @param capped    true when the cap stopped the plan while moves that help were left
 * @param balanced  true when every ACTIVE cell ends within its tolerance of the level
 * @param cells     every ACTIVE cell, by id
 * @param moves     in the order they are to be started
 */
public record RebalancePlan(double level, double tolerance, int maxMoves, boolean capped, boolean balanced,
                            List<CellBalance> cells, List<PlannedMove> moves) {

    public RebalancePlan {
        cells = List.copyOf(cells);
        moves = List.copyOf(moves);
    }
}
