package dev.cellshop.control.http;

import dev.cellshop.control.credentials.CellCredentials;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.WebProblems;
import io.vertx.ext.web.RoutingContext;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the control plane's failures become {@code application/problem+json}:
 * a client's mistake gets its 4xx with a detail to act on, an unreachable ZooKeeper a 503
 * saying so, anything unexpected a logged 500 without a stack trace.
 */
final class ProblemResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    private ProblemResponses() {
    }

    static void handle(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        write(ctx, problemOf(ctx));
    }

    static void write(RoutingContext ctx, Problem problem) {
        WebProblems.write(ctx, problem);
    }

    private static Problem problemOf(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof KeeperException.ConnectionLossException || failure instanceof KeeperException.SessionExpiredException
                || failure instanceof KeeperException.OperationTimeoutException) {
            return Problem.serviceUnavailable("ZooKeeper is not reachable: " + failure.getMessage());
        }
        if (failure instanceof CellCredentials.MissingCredentials missing) {
            // the operator's to fix (a cell's password file), not a bug: said as it is, once per request
            LOG.warn("event=cell_credentials_missing detail=\"{}\"", missing.getMessage());
            return Problem.serviceUnavailable(missing.getMessage());
        }
        Problem problem = WebProblems.clientProblem(ctx, ControlApiRoutes.BODY_LIMIT_BYTES);
        if (problem != null) {
            return problem;
        }
        LOG.error("event=request_failed method={} path={} error=\"{}\"", ctx.request().method(), ctx.request().path(),
                failure, failure);
        return WebProblems.INTERNAL;
    }
}
