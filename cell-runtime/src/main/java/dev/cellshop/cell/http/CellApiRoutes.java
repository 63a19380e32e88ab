package dev.cellshop.cell.http;

import dev.cellshop.cell.cart.CartApi;
import dev.cellshop.cell.catalog.CatalogApi;
import dev.cellshop.cell.checkout.CheckoutApi;
import dev.cellshop.cell.order.OrderApi;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** Every route of the cell's API, in one place: the contract at a glance. */
public final class CellApiRoutes {

    public static final long BODY_LIMIT_BYTES = 64 * 1024;

    private CellApiRoutes() {
    }

    public static void mount(Router router, ProblemHandler problems, AdminAuth admin,
                             CatalogApi catalog, CartApi carts, CheckoutApi checkout, OrderApi orders) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);
        // The body handler comes first: it must see the request before any asynchronous step.
        router.route("/api/v1/*").handler(body).handler(ShopContext::resolve);
        router.route("/admin/v1/*").handler(body).handler(ShopContext::resolve).handler(admin::handle);

        router.get("/api/v1/products").handler(catalog::listProducts);
        router.get("/api/v1/products/:id").handler(catalog::getProduct);
        router.post("/api/v1/carts").handler(carts::create);
        router.post("/api/v1/carts/:token/items").handler(carts::addItem);
        router.get("/api/v1/carts/:token").handler(carts::get);
        router.post("/api/v1/checkouts").handler(checkout::checkout);
        router.get("/api/v1/orders/:id").handler(orders::get);

        router.post("/admin/v1/products").handler(catalog::createProduct);
        router.patch("/admin/v1/variants/:id").handler(catalog::updateVariant);
        router.get("/admin/v1/orders").handler(orders::list);
        router.post("/admin/v1/orders/:id/:action").handler(orders::transition);

        router.route().failureHandler(problems::handle);
        router.errorHandler(404, problems::handle);
        router.errorHandler(405, problems::handle);
    }
}
