package dev.cellshop.cell.http;

import dev.cellshop.cell.schema.DuplicateKeys;
import dev.cellshop.cell.schema.SqlErrors;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.WebProblems;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become {@code application/problem+json}. A client's mistake
 * gets its 4xx with a detail to act on; anything unexpected is logged with the shop and
 * answered with a plain 500 that leaks no stack trace. A duplicate key nobody expected is the
 * request's conflict with the shop's rows: 409 naming what exists ({@link DuplicateKeys}). Logged
 * paths never carry a cart's token ({@link LoggedPaths}).
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
        WebProblems.write(ctx, problem);
    }

    private Problem problemOf(RoutingContext ctx) {
        Problem problem = WebProblems.clientProblem(ctx, CellApiRoutes.BODY_LIMIT_BYTES);
        if (problem != null) {
            return problem;
        }
        Throwable failure = ctx.failure();
        if (SqlErrors.isDuplicateKey(failure)) {
            // The request's conflict with the shop's rows; a warning, since no code path expected it
            LOG.warn("event=duplicate_key cell={} shop={} method={} path={} key={}", cellId, ctx.request().getHeader(ShopContext.SHOP_HEADER),
                    ctx.request().method(), LoggedPaths.redact(ctx), SqlErrors.duplicatedKey(failure).orElse("?"));
            return DuplicateKeys.conflict(failure);
        }
        LOG.error("event=request_failed cell={} shop={} method={} path={} error=\"{}\"", cellId,
                ctx.request().getHeader(ShopContext.SHOP_HEADER), ctx.request().method(), LoggedPaths.redact(ctx),
                failure, failure);
        return WebProblems.INTERNAL;
    }
}
