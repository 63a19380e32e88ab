package dev.cellshop.kernel.placement;

/**
 * A cell's lifecycle. The allowed moves:
 * <pre>
 * PROVISIONING -> CERTIFYING -> ACTIVE <-> DRAINING -> RETIRED
 *                    |
 *                    +-> PROVISIONING   (certification failed; the reason says why)
 * </pre>
 * RETIRED is final: its database may already be gone, so it must never serve again.
 */
public enum CellState {
    PROVISIONING,
    CERTIFYING,
    ACTIVE,
    DRAINING,
    RETIRED;

    public boolean canTransitionTo(CellState next) {
        return switch (this) {
            case PROVISIONING -> next == CERTIFYING;
            case CERTIFYING -> next == ACTIVE || next == PROVISIONING;
            case ACTIVE -> next == DRAINING;
            case DRAINING -> next == ACTIVE || next == RETIRED;
            case RETIRED -> false;
        };
    }

    /** Only an ACTIVE cell takes new shops; a DRAINING one still serves those it has. */
    public boolean acceptsNewShops() {
        return this == ACTIVE;
    }
}
