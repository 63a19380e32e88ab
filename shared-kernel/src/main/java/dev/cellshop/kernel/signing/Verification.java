package dev.cellshop.kernel.signing;

import dev.cellshop.kernel.id.ShopId;

import java.util.Objects;

/** What {@link RequestSignature#verify} found: a router's request, or why it is refused (401). */
public sealed interface Verification {

    /** Why a request is refused; a cell counts these separately, since each points at a different fault. */
    enum Reason {
        /** A signing header is absent: the request did not come through a router. */
        MISSING,
        /** A header is present but not in the form a router writes. */
        MALFORMED,
        /** Well-formed but not signed with our secret, or altered after signing. */
        BAD_SIGNATURE,
        /** Genuinely signed, but too long ago or too far ahead: clock skew or a replay. */
        STALE
    }

    boolean verified();

    /** The shop and the fencing epoch the router routed this request under. */
    record Verified(ShopId shopId, long epoch) implements Verification {
        public Verified {
            Objects.requireNonNull(shopId, "shopId");
        }

        @Override
        public boolean verified() {
            return true;
        }
    }

    /** @param detail for the problem+json detail and the log; never contains the expected signature */
    record Rejected(Reason reason, String detail) implements Verification {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public boolean verified() {
            return false;
        }
    }
}
