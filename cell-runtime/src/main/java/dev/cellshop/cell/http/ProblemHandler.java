package dev.cellshop.cell.http;

import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become {@code application/problem+json}. A client's mistake
 * gets its 4xx with a detail to act on; anything unexpected is logged with the shop and
 * answered with a plain 500 that leaks no stack trace.
 */
public final class ProblemHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    private final String cellId;

    public ProblemHandler(String cellId) {
        this.cellId = cellId;
    }

    public void handle(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        write(ctx, problemOf(ctx));
    }

    public static void write(RoutingContext ctx, Problem problem) {
        if (problem.extensions().get("retryAfterSeconds") instanceof Number seconds) {
            ctx.response().putHeader("Retry-After", Long.toString(seconds.longValue()));
        }
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.toJson());
    }

    private Problem problemOf(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ProblemException p) {
            return p.problem();
        }
        if (failure instanceof DecodeException) {
            return Problem.badRequest("the request body is not valid JSON");
        }
        int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
        return switch (status) {
            case 400 -> Problem.badRequest("the request is malformed");
            case 404 -> Problem.notFound("no such resource: " + ctx.request().method() + " " + ctx.request().path());
            case 405 -> Problem.of(405, ctx.request().method() + " is not allowed on " + ctx.request().path());
            case 413 -> Problem.payloadTooLarge("the request body is larger than " + CellApiRoutes.BODY_LIMIT_BYTES + " bytes");
            case 415 -> Problem.of(415, "send the body as application/json");
            default -> {
                LOG.error("event=request_failed cell={} shop={} method={} path={} error=\"{}\"", cellId,
                        ctx.request().getHeader(ShopContext.SHOP_HEADER), ctx.request().method(), ctx.request().path(),
                        failure, failure);
                yield Problem.of(500, "internal error; it has been logged");
            }
        };
    }
}
