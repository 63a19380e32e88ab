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
        /** Genuinely signed, but too long ago or too far ahead: clock skew or a late replay. */
        STALE,
        /** Signed by another version of the scheme: a router and a cell of different releases. */
        UNSUPPORTED_VERSION,
        /** The signature holds, but the body read is not the one whose digest the router signed: altered on the way. */
        BODY_MISMATCH,
        /** A body the router streamed without signing it (larger than it holds); a cell takes no body it cannot check. */
        UNSIGNED_BODY,
        /** A request this cell already took (its nonce is remembered for the skew window): sent again. */
        REPLAYED
    }

    boolean verified();

    /**
     * The shop and the fencing epoch the router routed this request under, and the signed
     * nonce by which a cell remembers it (a replay carries the same one).
     */
    record Verified(ShopId shopId, long epoch, String nonce) implements Verification {
        public Verified {
            Objects.requireNonNull(shopId, "shopId");
            Objects.requireNonNull(nonce, "nonce");
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
