package dev.cellshop.control.mover;

/** A reason the move cannot go on (a table it cannot copy, DDL on a moving table, a catch-up that never converges). */
public final class MoveAbort extends RuntimeException {

    public MoveAbort(String reason) {
        super(reason);
    }

    public MoveAbort(String reason, Throwable cause) {
        super(reason, cause);
    }
}
