package dev.cellshop.control.rebalance;

import dev.cellshop.kernel.id.CellId;

/**
 * One ACTIVE cell before and after a rebalance plan: shops and utilisation (0..1, as
 * placement sees it), and whether it ends within the tolerance of the level.
 */
public record CellBalance(CellId cellId, int maxShops, int shopsBefore, int shopsAfter, double utilisationBefore,
                          double utilisationAfter, boolean levelAfter) {
}
