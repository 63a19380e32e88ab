package dev.cellshop.control.rebalance;

import dev.cellshop.control.mover.MoveState;
import dev.cellshop.control.placement.CellUse;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.CellState;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the planner is given, from what the topology holds now. Pure logic.
 *
 * @param cells   the ACTIVE cells, each shop counted where it will be: a shop whose move is
 *                unfinished counts on its target (it will end there), not on its source
 * @param movable per ACTIVE cell, its shops a move may take: placed ACTIVE (not FROZEN in a
 *                cutover) and not in an unfinished move
 */
public record RebalanceInputs(List<CellUse> cells, Map<CellId, List<ShopId>> movable) {

    /**
     * @param uses       every cell's use as placement sees it (shops placed and being placed)
     * @param placements every shop's placement
     * @param unfinished the moves not yet COMPLETED or ABORTED
     */
    public static RebalanceInputs of(List<CellUse> uses, Map<ShopId, Placement> placements, List<MoveState> unfinished) {
        Map<CellId, Integer> shift = new HashMap<>();
        Set<ShopId> moving = new HashSet<>();
        for (MoveState move : unfinished) {
            ShopId shop = ShopId.of(move.shopId());
            CellId target = CellId.of(move.targetCell());
            moving.add(shop);
            Placement now = placements.get(shop);
            if (now != null && !now.cellId().equals(target)) {
                shift.merge(now.cellId(), -1, Integer::sum);
                shift.merge(target, 1, Integer::sum);
            }
        }
        List<CellUse> active = new ArrayList<>();
        Map<CellId, List<ShopId>> movable = new HashMap<>();
        for (CellUse use : uses) {
            if (use.cell().state() == CellState.ACTIVE) {
                active.add(use.withShops(shift.getOrDefault(use.cell().cellId(), 0)));
                movable.put(use.cell().cellId(), new ArrayList<>());
            }
        }
        placements.forEach((shop, placement) -> {
            List<ShopId> on = movable.get(placement.cellId());
            if (on != null && placement.state() == PlacementState.ACTIVE && !moving.contains(shop)) {
                on.add(shop);
            }
        });
        movable.replaceAll((cell, shops) -> List.copyOf(shops));
        return new RebalanceInputs(List.copyOf(active), Map.copyOf(movable));
    }
}
