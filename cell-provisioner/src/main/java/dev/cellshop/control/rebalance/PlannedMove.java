package dev.cellshop.control.rebalance;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;

/** One move of a rebalance plan. */
public record PlannedMove(ShopId shopId, CellId from, CellId to) {
}
