package dev.cellshop.cell.http;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.ext.web.RoutingContext;

/**
 * Which shop a request is for. The router puts it in {@code X-Cellshop-Shop-Id}; every
 * query of the request filters by it, so a shop can never reach another shop's rows.
 */
public final class ShopContext {

    public static final String SHOP_HEADER = "X-Cellshop-Shop-Id";
    private static final String KEY = "cellshop.shop";

    private ShopContext() {
    }

    /** Route handler: resolves the shop or fails the request with 400. */
    public static void resolve(RoutingContext ctx) {
        String header = ctx.request().getHeader(SHOP_HEADER);
        if (header == null) {
            throw new ProblemException(Problem.badRequest("missing " + SHOP_HEADER + ": requests reach a cell through a router"));
        }
        try {
            ctx.put(KEY, ShopId.parse(header));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.badRequest("invalid " + SHOP_HEADER + ": " + e.getMessage()));
        }
        ctx.next();
    }

    public static ShopId shop(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
