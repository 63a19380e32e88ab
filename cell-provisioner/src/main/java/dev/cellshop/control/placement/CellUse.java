package dev.cellshop.control.placement;

import dev.cellshop.kernel.placement.CellDescriptor;

/**
 * A cell with what it holds now: its shops (placed and being placed) and its measured load.
 */
public record CellUse(CellDescriptor cell, int shops, double load) {

    /**
     * The free share of the cell, 0..1, weighted over shops and load; 0 when either is at
     * its capacity, so a full cell never takes another shop whatever the other dimension says.
     */
    public double headroom(PlacementWeights weights) {
        double freeShops = 1.0 - (double) shops / cell.capacity().maxShops();
        double freeLoad = 1.0 - load / cell.capacity().maxLoad();
        if (freeShops <= 0 || freeLoad <= 0) {
            return 0;
        }
        return (weights.shopsPercent() * freeShops + weights.loadPercent() * freeLoad) / 100.0;
    }

    /** The used share, 0..1: what placement fills and rebalancing levels, the complement of {@link #headroom}. */
    public double utilisation(PlacementWeights weights) {
        return 1.0 - headroom(weights);
    }

    /** The same cell with {@code delta} shops more (a move planned onto it) or fewer (off it). */
    public CellUse withShops(int delta) {
        return new CellUse(cell, shops + delta, load);
    }
}
