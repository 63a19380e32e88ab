package dev.cellshop.cell.cart;

import dev.cellshop.cell.catalog.CatalogStore;
import dev.cellshop.cell.http.JsonBody;
import dev.cellshop.cell.http.ShopContext;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The shopper's cart endpoints. */
public final class CartApi {

    public static final int MAX_LINE_QUANTITY = 1000;
    public static final int MAX_LINES = 100;

    private final CartStore carts;
    private final CatalogStore catalog;

    public CartApi(CartStore carts, CatalogStore catalog) {
        this.carts = carts;
        this.catalog = catalog;
    }

    /** POST /api/v1/carts */
    public void create(RoutingContext ctx) {
        carts.create(ShopContext.shop(ctx))
                .onSuccess(token -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("cartToken", token).encode()))
                .onFailure(e -> ctx.fail(unavailable(e)));
    }

    /** POST /api/v1/carts/:token/items {"variantId", "quantity"} */
    public void addItem(RoutingContext ctx) {
        ShopId shop = ShopContext.shop(ctx);
        String token = token(ctx);
        JsonBody body = JsonBody.of(ctx);
        long variantId = body.id("variantId");
        int quantity = (int) body.wholeNumber("quantity", 1, MAX_LINE_QUANTITY);
        existing(shop, token)
                .compose(lines -> {
                    if (!lines.containsKey(variantId) && lines.size() >= MAX_LINES) {
                        throw new ProblemException(Problem.unprocessable("a cart holds at most " + MAX_LINES + " different variants"));
                    }
                    return catalog.variant(shop, variantId);
                })
                .compose(variant -> {
                    if (variant.isEmpty()) {
                        throw new ProblemException(Problem.notFound("no variant " + variantId + " in this shop"));
                    }
                    return carts.add(shop, token, variantId, quantity);
                })
                .compose(total -> total <= MAX_LINE_QUANTITY ? Future.succeededFuture()
                        : carts.subtract(shop, token, variantId, quantity).compose(undone -> Future.failedFuture(new ProblemException(
                                Problem.unprocessable("at most " + MAX_LINE_QUANTITY + " of one variant per cart")))))
                .compose(ok -> existing(shop, token))
                .onSuccess(lines -> ctx.json(cartJson(token, lines)))
                .onFailure(e -> ctx.fail(unavailable(e)));
    }

    /** GET /api/v1/carts/:token */
    public void get(RoutingContext ctx) {
        String token = token(ctx);
        existing(ShopContext.shop(ctx), token)
                .onSuccess(lines -> ctx.json(cartJson(token, lines)))
                .onFailure(e -> ctx.fail(unavailable(e)));
    }

    private Future<Map<Long, Integer>> existing(ShopId shop, String token) {
        return carts.lines(shop, token).map(found -> found.orElseThrow(
                () -> new ProblemException(Problem.notFound("no cart " + token + " in this shop (carts expire after a week)"))));
    }

    private static String token(RoutingContext ctx) {
        String token = ctx.pathParam("token");
        if (!CartStore.isWellFormed(token)) {
            throw new ProblemException(Problem.notFound("no cart " + token + " in this shop"));
        }
        return token;
    }

    static JsonObject cartJson(String token, Map<Long, Integer> lines) {
        JsonArray items = new JsonArray();
        lines.forEach((variant, quantity) -> items.add(new JsonObject().put("variantId", Long.toString(variant)).put("quantity", quantity)));
        return new JsonObject().put("cartToken", token).put("items", items);
    }

    /** Redis failing is the cell's trouble, not the shopper's: 503 with a retry hint, never a 500. */
    public static Throwable unavailable(Throwable e) {
        if (e instanceof ProblemException) {
            return e;
        }
        return new ProblemException(Problem.serviceUnavailable("carts are unavailable right now; retry shortly")
                .withExtension("retryAfterSeconds", 1), e);
    }
}
