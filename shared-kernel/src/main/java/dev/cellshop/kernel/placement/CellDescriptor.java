package dev.cellshop.kernel.placement;

import dev.cellshop.kernel.id.CellId;

import java.util.Objects;

/**
 * A cell as the topology knows it: the JSON of {@code /cellshop/cells/{cellId}}.
 *
 * @param stateReason why the cell entered its state (e.g. the failed certification check);
 *                    null when there is nothing to say
 */
public record CellDescriptor(CellId cellId, CellState state, Endpoints endpoints, Capacity capacity, String stateReason) {

    public CellDescriptor {
        Objects.requireNonNull(cellId, "cellId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(capacity, "capacity");
        if (stateReason != null && stateReason.isBlank()) {
            stateReason = null;
        }
    }

    /** A cell that has just been created and is not yet checked. */
    public static CellDescriptor provisioning(CellId cellId, Endpoints endpoints, Capacity capacity) {
        return new CellDescriptor(cellId, CellState.PROVISIONING, endpoints, capacity, null);
    }

    /**
     * @param reason why; required when certification fails (CERTIFYING -> PROVISIONING), so
     *               the operator sees what to fix
     */
    public CellDescriptor transitionTo(CellState next, String reason) {
        Objects.requireNonNull(next, "next");
        if (!state.canTransitionTo(next)) {
            throw new IllegalStateException("Cell " + cellId + " cannot go from " + state + " to " + next);
        }
        if (state == CellState.CERTIFYING && next == CellState.PROVISIONING && (reason == null || reason.isBlank())) {
            throw new IllegalStateException("Cell " + cellId + " going from " + state + " back to " + next
                    + " needs a reason: say why certification failed");
        }
        return new CellDescriptor(cellId, next, endpoints, capacity, reason);
    }

    public CellDescriptor withCapacity(Capacity newCapacity) {
        return new CellDescriptor(cellId, state, endpoints, newCapacity, stateReason);
    }
}
