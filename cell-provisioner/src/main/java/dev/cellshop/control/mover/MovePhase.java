package dev.cellshop.control.mover;

/** Where a move is. */
public enum MovePhase {
    /** Rows are copied while the binlog is applied. */
    COPYING,
    /** The copy is done; the binlog is applied until the lag is under the bound. */
    CATCHING_UP,
    /** The lag is under the bound: ready for the cutover. */
    CAUGHT_UP,
    /** The shop is FROZEN on the source; the last changes, the checks and the shop's state move. */
    CUTTING_OVER,
    /** The shop is ACTIVE on the target; its copy on the source is still to be removed. */
    SWITCHED,
    /** Done: the shop lives on the target only. */
    COMPLETED,
    /** Stopped for good; {@code abortReason} says why. */
    ABORTED
}
