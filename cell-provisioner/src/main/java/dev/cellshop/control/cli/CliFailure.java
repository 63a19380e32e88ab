package dev.cellshop.control.cli;

/**
 * An expected failure of a CLI command: printed as one line, exits with its code, never a
 * stack trace. Codes: 2 usage or setup, 3 not found, 4 conflict, 5 unavailable
 * (control plane, ZooKeeper or a cell not reachable), 1 anything else.
 */
final class CliFailure extends RuntimeException {

    static final int OTHER = 1;
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int CONFLICT = 4;
    static final int UNAVAILABLE = 5;

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    static int exitCodeOf(int httpStatus) {
        return switch (httpStatus) {
            case 400, 401, 422 -> USAGE;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 502, 503, 504 -> UNAVAILABLE;
            default -> OTHER;
        };
    }
}
