package dev.cellshop.control.mover;

/** Where a move is; cutover phases come with the cutover. */
public enum MovePhase {
    /** Rows are copied while the binlog is applied. */
    COPYING,
    /** The copy is done; the binlog is applied until the lag is under the bound. */
    CATCHING_UP,
    /** The lag is under the bound: ready for the cutover. */
    CAUGHT_UP,
    /** Stopped for good; {@code abortReason} says why. */
    ABORTED
}
