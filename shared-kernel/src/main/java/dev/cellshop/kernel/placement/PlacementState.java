package dev.cellshop.kernel.placement;

/** Whether a shop's cell may serve it right now. */
public enum PlacementState {
    /** The named cell serves the shop. */
    ACTIVE,
    /** A move is cutting over: routers hold the shop's requests and no cell writes for it. */
    FROZEN
}
