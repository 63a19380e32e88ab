package dev.cellshop.kernel.problem;

import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * How a failed Vert.x Web route becomes {@code application/problem+json}, written once for
 * every process: a {@link ProblemException} carries its own problem, a body that is not JSON
 * or a route's 4xx get theirs, and whatever is left is the caller's to log and answer with
 * {@link #INTERNAL}, so no stack trace ever reaches a client.
 */
public final class WebProblems {

    public static final Problem INTERNAL = Problem.of(500, "internal error; it has been logged");

    private WebProblems() {
    }

    /** The problem for a failure a client caused, or null when it is unexpected (the caller logs it). */
    public static Problem clientProblem(RoutingContext ctx, long bodyLimitBytes) {
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
            case 413 -> Problem.payloadTooLarge("the request body is larger than " + bodyLimitBytes + " bytes");
            case 415 -> Problem.of(415, "send the body as application/json");
            default -> null;
        };
    }

    /** Writes the problem, with Retry-After when it carries {@code retryAfterSeconds}. */
    public static void write(RoutingContext ctx, Problem problem) {
        if (problem.extensions().get("retryAfterSeconds") instanceof Number seconds) {
            ctx.response().putHeader("Retry-After", Long.toString(seconds.longValue()));
        }
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.toJson());
    }
}
