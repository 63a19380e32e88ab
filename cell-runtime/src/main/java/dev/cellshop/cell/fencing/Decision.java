package dev.cellshop.cell.fencing;

import dev.cellshop.kernel.placement.Placement;

import java.util.Objects;

/** Whether this cell may serve a shop's request, from {@link PlacementView#decide}. */
public sealed interface Decision {

    boolean serves();

    /** The placement names this cell, ACTIVE, at the epoch the router sent. */
    record Serve(Placement placement) implements Decision {
        public Serve {
            Objects.requireNonNull(placement, "placement");
        }

        @Override
        public boolean serves() {
            return true;
        }
    }

    /** Answered 421 Misdirected Request, so the router refreshes its view and retries elsewhere. */
    record Misdirected(String detail) implements Decision {
        public Misdirected {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public boolean serves() {
            return false;
        }
    }
}
