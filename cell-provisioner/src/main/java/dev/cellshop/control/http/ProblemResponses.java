package dev.cellshop.control.http;

import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
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
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.toJson());
    }

    private static Problem problemOf(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ProblemException p) {
            return p.problem();
        }
        if (failure instanceof DecodeException) {
            return Problem.badRequest("the request body is not valid JSON");
        }
        if (failure instanceof KeeperException.ConnectionLossException || failure instanceof KeeperException.SessionExpiredException
                || failure instanceof KeeperException.OperationTimeoutException) {
            return Problem.serviceUnavailable("ZooKeeper is not reachable: " + failure.getMessage());
        }
        int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
        return switch (status) {
            case 400 -> Problem.badRequest("the request is malformed");
            case 404 -> Problem.notFound("no such resource: " + ctx.request().method() + " " + ctx.request().path());
            case 405 -> Problem.of(405, ctx.request().method() + " is not allowed on " + ctx.request().path());
            case 413 -> Problem.payloadTooLarge("the request body is larger than " + ControlApiRoutes.BODY_LIMIT_BYTES + " bytes");
            default -> {
                LOG.error("event=request_failed method={} path={} error=\"{}\"", ctx.request().method(), ctx.request().path(),
                        failure, failure);
                yield Problem.of(500, "internal error; it has been logged");
            }
        };
    }
}
