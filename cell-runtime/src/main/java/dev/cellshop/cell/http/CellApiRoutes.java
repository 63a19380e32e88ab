package dev.cellshop.cell.http;

import dev.cellshop.cell.cart.CartApi;
import dev.cellshop.cell.catalog.CatalogApi;
import dev.cellshop.cell.checkout.CheckoutApi;
import dev.cellshop.cell.order.OrderApi;
import dev.cellshop.cell.stock.StockBucketsApi;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Every route of the cell's API, in one place: the contract at a glance. Each request passes,
 * in order: the body limit (Vert.x wants it first), metrics, the router's signature (head and body) and the
 * placement fence ({@link ShopContext}), the replay check ({@link ReplayGate}), the shop's rate limit, for
 * /admin the shop's token, then its handler.
 */
public final class CellApiRoutes {

    public static final long BODY_LIMIT_BYTES = 64 * 1024;

    public record Handlers(ProblemHandler problems, RequestMetrics metrics, ShopContext shops, ReplayGate replays, RateLimitGate rateLimit,
                           AdminAuth admin, CatalogApi catalog, StockBucketsApi stockBuckets, CartApi carts, CheckoutApi checkout,
                           OrderApi orders) {
    }

    private CellApiRoutes() {
    }

    public static void mount(Router router, Handlers h) {
        // The body handler comes first: it must see the request before any asynchronous step.
        BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);
        router.route("/api/v1/*").handler(body).handler(h.metrics()::start).handler(h.shops()::handle).handler(h.replays()::handle)
                .handler(h.rateLimit()::handle);
        router.route("/admin/v1/*").handler(body).handler(h.metrics()::start).handler(h.shops()::handle).handler(h.replays()::handle)
                .handler(h.rateLimit()::handle).handler(h.admin()::handle);

        route(router, HttpMethod.GET, "/api/v1/products", h.catalog()::listProducts);
        route(router, HttpMethod.GET, "/api/v1/products/:id", h.catalog()::getProduct);
        route(router, HttpMethod.POST, "/api/v1/carts", h.carts()::create);
        route(router, HttpMethod.POST, "/api/v1/carts/:token/items", h.carts()::addItem);
        route(router, HttpMethod.GET, "/api/v1/carts/:token", h.carts()::get);
        route(router, HttpMethod.POST, "/api/v1/checkouts", h.checkout()::checkout);
        route(router, HttpMethod.GET, "/api/v1/orders/:id", h.orders()::get);

        route(router, HttpMethod.POST, "/admin/v1/products", h.catalog()::createProduct);
        route(router, HttpMethod.PATCH, "/admin/v1/variants/:id", h.catalog()::updateVariant);
        route(router, HttpMethod.GET, "/admin/v1/variants/:id/stock-buckets", h.stockBuckets()::get);
        route(router, HttpMethod.PUT, "/admin/v1/variants/:id/stock-buckets", h.stockBuckets()::put);
        route(router, HttpMethod.DELETE, "/admin/v1/variants/:id/stock-buckets", h.stockBuckets()::delete);
        route(router, HttpMethod.GET, "/admin/v1/orders", h.orders()::list);
        route(router, HttpMethod.GET, "/admin/v1/orders/:id", h.orders()::getForMerchant);
        route(router, HttpMethod.POST, "/admin/v1/orders/:id/:action", h.orders()::transition);

        // For a move's cutover (signed like a router's request; no placement fence: it asks about it; a
        // replayed poll only reads, so no replay check: the mover polls without Redis round trips)
        router.get("/internal/v1/shops/:shopId/quiescence").handler(body).handler(h.shops()::quiescence);

        router.route().failureHandler(h.problems()::handle);
        router.errorHandler(404, h.problems()::handle);
        router.errorHandler(405, h.problems()::handle);
    }

    private static void route(Router router, HttpMethod method, String path, Handler<RoutingContext> handler) {
        router.route(method, path).handler(RequestMetrics.route(path)).handler(handler);
    }
}
