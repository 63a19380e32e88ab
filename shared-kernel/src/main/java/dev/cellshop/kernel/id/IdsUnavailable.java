package dev.cellshop.kernel.id;

import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;

/**
 * No id can be issued: the worker-id lease is not held, or ZooKeeper has been out of reach
 * for so long that the lease may have expired. A problem of the platform, not of the
 * request: every HTTP API answers it as 503 with a Retry-After, never 500.
 */
public final class IdsUnavailable extends ProblemException {

    static final int RETRY_AFTER_SECONDS = 2;

    IdsUnavailable(String detail) {
        super(Problem.serviceUnavailable("cannot issue ids right now (" + detail + "); retry shortly")
                .withExtension("retryAfterSeconds", RETRY_AFTER_SECONDS));
    }
}
