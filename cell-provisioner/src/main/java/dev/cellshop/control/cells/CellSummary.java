package dev.cellshop.control.cells;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.Capacity;
import dev.cellshop.kernel.placement.CellState;
import dev.cellshop.kernel.placement.Endpoints;

/** A cell as {@code cell list|show} and {@code topology} report it; {@code headroom} is 0..1. */
public record CellSummary(CellId cellId, CellState state, int shops, double load, double headroom, Capacity capacity,
                          Endpoints endpoints, String stateReason) {
}
