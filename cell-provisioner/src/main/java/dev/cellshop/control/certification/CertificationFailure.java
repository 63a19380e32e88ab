package dev.cellshop.control.certification;

/**
 * Why a cell did not pass: one line naming the cell, the component and its address, e.g.
 * {@code cell-c mysql 127.0.0.1:33320 unreachable: Connection refused}. An expected outcome
 * of a certification run, so it carries no stack trace.
 */
public final class CertificationFailure extends Exception {

    public CertificationFailure(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
