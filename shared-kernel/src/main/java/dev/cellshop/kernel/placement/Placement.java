package dev.cellshop.kernel.placement;

import dev.cellshop.kernel.id.CellId;

import java.util.Objects;

/**
 * Where a shop lives: the JSON of {@code /cellshop/shops/{shopId}}.
 *
 * <p>Every change raises the epoch. A cell stamps its work with the epoch it was routed
 * under and serves only while {@link #servesOn} holds, so a cell that missed a move (a
 * stale cache, a slow request in flight across the cutover) cannot write for a shop that
 * now lives elsewhere. Transitions go only ACTIVE -> FROZEN -> ACTIVE: freezing first is
 * what guarantees no two cells are ever ACTIVE for the shop at overlapping epochs.
 */
public record Placement(CellId cellId, PlacementState state, long epoch) {

    public Placement {
        Objects.requireNonNull(cellId, "cellId");
        Objects.requireNonNull(state, "state");
        if (epoch < 1) {
            throw new IllegalArgumentException("Placement epoch must be >= 1, got " + epoch);
        }
    }

    /** A new shop's first placement. */
    public static Placement initial(CellId cellId) {
        return new Placement(cellId, PlacementState.ACTIVE, 1);
    }

    /** The cutover starts: the shop stays on its cell, but no cell may serve it. */
    public Placement freeze() {
        if (state != PlacementState.ACTIVE) {
            throw new IllegalStateException("Cannot freeze a shop placement that is already " + state + " on " + cellId + " at epoch " + epoch);
        }
        return new Placement(cellId, PlacementState.FROZEN, nextEpoch());
    }

    /**
     * The cutover ends: serve on {@code target}, which is the new cell after a move, or the
     * same cell when a move aborts.
     */
    public Placement activateOn(CellId target) {
        Objects.requireNonNull(target, "target");
        if (state != PlacementState.FROZEN) {
            throw new IllegalStateException("Cannot activate a shop placement on " + target + " unless it is FROZEN; it is "
                    + state + " on " + cellId + " at epoch " + epoch);
        }
        return new Placement(target, PlacementState.ACTIVE, nextEpoch());
    }

    /** The fencing rule: {@code cell} may serve the shop at {@code routedEpoch}. */
    public boolean servesOn(CellId cell, long routedEpoch) {
        return state == PlacementState.ACTIVE && cellId.equals(cell) && epoch == routedEpoch;
    }

    private long nextEpoch() {
        return Math.addExact(epoch, 1);
    }
}
