package dev.cellshop.cell.catalog;

import dev.cellshop.cell.cache.ProductCache;
import dev.cellshop.cell.http.JsonBody;
import dev.cellshop.cell.http.Paging;
import dev.cellshop.cell.http.ShopContext;
import dev.cellshop.cell.schema.DuplicateKeys;
import dev.cellshop.cell.schema.SqlErrors;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.money.Money;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Product and variant endpoints: the merchant's writes and the shopper's reads. */
public final class CatalogApi {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogApi.class);
    static final int MAX_VARIANTS = 100;
    static final int MAX_INVENTORY = 1_000_000_000;

    private final CatalogStore store;
    private final ProductCache cache;
    private final Consumer<ShopId> catalogChanged;
    private final LongSupplier ids;

    public CatalogApi(CatalogStore store, ProductCache cache, LongSupplier ids) {
        this.store = store;
        this.cache = cache;
        this.catalogChanged = invalidating(cache);
        this.ids = ids;
    }

    /** After any committed change to a shop's products, variants or stock: one increment drops the shop's whole cache. */
    public static Consumer<ShopId> invalidating(ProductCache cache) {
        return shop -> logFailure(shop, cache.invalidateShop(shop));
    }

    /** After a committed stock change of some products (a checkout): their details and the shop's product pages only. */
    public static BiConsumer<ShopId, Set<Long>> invalidatingProducts(ProductCache cache) {
        return (shop, productIds) -> logFailure(shop, cache.invalidateProducts(shop, productIds));
    }

    private static void logFailure(ShopId shop, Future<Void> invalidation) {
        invalidation.onFailure(e -> LOG.warn(
                "event=cache_invalidation_failed shop={} error=\"{}\" (entries expire within the cache TTL)", shop.value(), e.getMessage()));
    }

    /** POST /admin/v1/products */
    public void createProduct(RoutingContext ctx) {
        JsonBody body = JsonBody.of(ctx);
        String title = body.string("title", 255);
        JsonArray variants = body.array("variants", 1, MAX_VARIANTS);
        List<CatalogStore.NewVariant> parsed = new ArrayList<>();
        Set<String> skus = new HashSet<>();
        for (int i = 0; i < variants.size(); i++) {
            JsonBody v = body.element(variants, "variants", i);
            String sku = v.string("sku", 64);
            if (!skus.add(sku)) {
                throw JsonBody.bad("variants[" + i + "].sku '" + sku + "' appears twice");
            }
            parsed.add(new CatalogStore.NewVariant(ids.getAsLong(), sku, v.price("price"),
                    (int) v.wholeNumber("inventory", 0, MAX_INVENTORY)));
        }
        ShopId shop = ShopContext.shop(ctx);
        store.create(shop, ShopContext.epoch(ctx), ids.getAsLong(), title, parsed)
                .recover(e -> SqlErrors.isDuplicateKey(e) ? skusTaken(shop, skus, e) : Future.failedFuture(e))
                .onSuccess(product -> catalogChanged.accept(shop))
                .onSuccess(product -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(product.encode()))
                .onFailure(ctx::fail);
    }

    /** The 409 of a product whose SKUs collide with the shop's other variants, naming those SKUs. */
    private <T> Future<T> skusTaken(ShopId shop, Set<String> skus, Throwable duplicate) {
        return store.existingSkus(shop, skus).compose(taken -> Future.failedFuture(new ProblemException(taken.isEmpty()
                ? DuplicateKeys.conflict(duplicate) // gone again meanwhile: the key's meaning is all we can say
                : Problem.conflict((taken.size() == 1 ? "SKU " : "SKUs ") + String.join(", ", taken.stream().map(sku -> "'" + sku + "'").toList())
                        + " already used by another variant of this shop; SKUs are unique per shop")
                        .withExtension("skus", taken))));
    }

    /** PATCH /admin/v1/variants/:id — price and/or inventory. */
    public void updateVariant(RoutingContext ctx) {
        long variantId = Paging.pathId(ctx, "id", "variant");
        JsonBody body = JsonBody.of(ctx);
        Money price = body.has("price") ? body.price("price") : null;
        Integer inventory = body.has("inventory") ? (int) body.wholeNumber("inventory", 0, MAX_INVENTORY) : null;
        if (price == null && inventory == null) {
            throw JsonBody.bad("give price and/or inventory");
        }
        ShopId shop = ShopContext.shop(ctx);
        respond(ctx, store.updateVariant(shop, ShopContext.epoch(ctx), variantId, price, inventory)
                .onSuccess(updated -> catalogChanged.accept(shop)), "variant", variantId);
    }

    /** GET /api/v1/products (read through the shop's Memcached namespace) */
    public void listProducts(RoutingContext ctx) {
        Paging paging = Paging.of(ctx);
        ShopId shop = ShopContext.shop(ctx);
        cache.getOrLoad(shop, "list:" + paging.afterId() + ":" + paging.limit(), () -> store.page(shop, paging.afterId(), paging.limit())
                        .map(products -> {
                            JsonObject page = new JsonObject().put("products", new JsonArray(products));
                            if (products.size() == paging.limit()) {
                                page.put("nextCursor", products.get(products.size() - 1).getString("id"));
                            }
                            return page.encode();
                        }))
                .onSuccess(json -> sendJson(ctx, json))
                .onFailure(ctx::fail);
    }

    /** GET /api/v1/products/:id (read through the shop's Memcached namespace; a miss for an unknown id is not cached) */
    public void getProduct(RoutingContext ctx) {
        long productId = Paging.pathId(ctx, "id", "product");
        ShopId shop = ShopContext.shop(ctx);
        cache.getOrLoadProduct(shop, productId, () -> store.product(shop, productId).map(found -> found
                        .orElseThrow(() -> new ProblemException(Problem.notFound("no product " + productId + " in this shop"))).encode()))
                .onSuccess(json -> sendJson(ctx, json))
                .onFailure(ctx::fail);
    }

    private static void sendJson(RoutingContext ctx, String json) {
        ctx.response().putHeader("Content-Type", "application/json").end(json);
    }

    private static void respond(RoutingContext ctx, Future<Optional<JsonObject>> result, String what, long id) {
        result.onSuccess(found -> found.ifPresentOrElse(ctx::json,
                        () -> ctx.fail(new ProblemException(Problem.notFound("no " + what + " " + id + " in this shop")))))
                .onFailure(ctx::fail);
    }
}
