package dev.cellshop.cell.http;

import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.ext.web.RoutingContext;

/**
 * Cursor pagination: {@code ?limit=N&cursor=ID}, the cursor being the last id of the previous
 * page (keyset paging over the primary key: every page costs the same, however deep).
 */
public record Paging(long afterId, int limit) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public static Paging of(RoutingContext ctx) {
        String limit = ctx.queryParams().get("limit");
        String cursor = ctx.queryParams().get("cursor");
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            if (!limit.matches("[0-9]{1,4}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > MAX_LIMIT) {
                throw new ProblemException(Problem.badRequest("limit must be 1 to " + MAX_LIMIT + ", not '" + limit + "'"));
            }
            n = Integer.parseInt(limit);
        }
        long after = Long.MIN_VALUE;
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw new ProblemException(Problem.badRequest("cursor '" + cursor + "' is not one this API gave out"));
            }
        }
        return new Paging(after, n);
    }

    /** Path parameter {@code name} as an id; anything else names no resource. */
    public static long pathId(RoutingContext ctx, String name, String what) {
        String raw = ctx.pathParam(name);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.notFound("no " + what + " " + raw));
        }
    }
}
