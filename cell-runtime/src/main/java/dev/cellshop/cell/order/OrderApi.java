package dev.cellshop.cell.order;

import dev.cellshop.cell.http.Paging;
import dev.cellshop.cell.http.ShopContext;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;

/** Order endpoints: the shopper reads one with its token; the merchant reads any, lists them and moves them through their states. */
public final class OrderApi {

    private static final Set<String> ACTIONS = Set.of("pay", "fulfill", "cancel");

    private final OrderStore orders;

    public OrderApi(OrderStore orders) {
        this.orders = orders;
    }

    /**
     * GET /api/v1/orders/:id with X-Order-Token. Without the order's token the answer is the
     * one an unknown id gets, word for word, so it tells nobody whether the order exists.
     */
    public void get(RoutingContext ctx) {
        long orderId = Paging.pathId(ctx, "id", "order");
        respond(ctx, orders.findWithToken(ShopContext.shop(ctx), orderId, ctx.request().getHeader(OrderTokens.HEADER)),
                "no order " + orderId + " in this shop with this " + OrderTokens.HEADER + " (the orderToken of the checkout's answer)");
    }

    /** GET /admin/v1/orders/:id (the merchant's: any order of the shop, also those made before order tokens) */
    public void getForMerchant(RoutingContext ctx) {
        long orderId = Paging.pathId(ctx, "id", "order");
        respond(ctx, orders.find(ShopContext.shop(ctx), orderId), "no order " + orderId + " in this shop");
    }

    private static void respond(RoutingContext ctx, Future<Optional<JsonObject>> found, String notFound) {
        found.onSuccess(order -> order.ifPresentOrElse(ctx::json, () -> ctx.fail(new ProblemException(Problem.notFound(notFound)))))
                .onFailure(ctx::fail);
    }

    /** GET /admin/v1/orders?limit=&cursor= (newest first) */
    public void list(RoutingContext ctx) {
        Paging paging = Paging.of(ctx);
        long before = paging.afterId() == Long.MIN_VALUE ? Long.MAX_VALUE : paging.afterId();
        orders.page(ShopContext.shop(ctx), before, paging.limit())
                .onSuccess(page -> {
                    JsonObject body = new JsonObject().put("orders", new JsonArray(page));
                    if (page.size() == paging.limit()) {
                        body.put("nextCursor", page.get(page.size() - 1).getString("id"));
                    }
                    ctx.json(body);
                })
                .onFailure(ctx::fail);
    }

    /** POST /admin/v1/orders/:id/:action (pay | fulfill | cancel) */
    public void transition(RoutingContext ctx) {
        String action = ctx.pathParam("action");
        if (!ACTIONS.contains(action)) {
            throw new ProblemException(Problem.notFound("no order action '" + action + "': use pay, fulfill or cancel"));
        }
        orders.transition(ShopContext.shop(ctx), ShopContext.epoch(ctx), Paging.pathId(ctx, "id", "order"), action)
                .onSuccess(ctx::json)
                .onFailure(ctx::fail);
    }
}
