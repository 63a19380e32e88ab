package dev.cellshop.cell.checkout;

import dev.cellshop.cell.cart.CartApi;
import dev.cellshop.cell.cart.CartStore;
import dev.cellshop.cell.fencing.ShopFence;
import dev.cellshop.cell.schema.SqlErrors;
import dev.cellshop.cell.order.OrderJson;
import dev.cellshop.cell.order.OrderStatus;
import dev.cellshop.cell.order.OrderTokens;
import dev.cellshop.cell.outbox.OutboxAppender;
import dev.cellshop.cell.stock.AutoSplit;
import dev.cellshop.cell.stock.StockBuckets;
import dev.cellshop.cell.stock.StockTake;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.Digests;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Checkout: a cart becomes an order in ONE MySQL transaction, or nothing happens.
 *
 * <p>Fencing: the transaction's first statement reads the shop's fence row ({@link ShopFence}),
 * so no order commits on a cell the shop is leaving or has left, whatever this instance's view.
 *
 * <p>Idempotency: the transaction then inserts the key's row. A concurrent request with the
 * same key blocks on that row's lock until the first commits, then sees a duplicate key and
 * answers with the stored first response, so even requests racing while the first is in
 * flight never make a second order. If the first rolls back (sold out), the key stays free.
 *
 * <p>No oversell: each line decrements one of its variant's stock rows (the variants row or one of its
 * buckets, see {@link StockTake}) with {@code inventory >= quantity} in the WHERE clause (one row
 * lock, no read-then-write race), in variant-id order so concurrent checkouts always lock rows in
 * the same order and cannot deadlock; a CHECK constraint behind each row refuses a negative stock
 * whatever the code does. The transaction runs at READ COMMITTED (no gap locks; a locked stock row
 * whose last committed version is short is passed over without waiting), and is run again when InnoDB
 * makes it a deadlock's victim (dev.cellshop.cell.stock says when that can happen). The decrements are the last
 * statements before COMMIT (the order, its lines, its event and the stored response are written
 * first; a sold-out line rolls them all back): a flash sale serialises on the variant's row
 * lock, so the time that lock is held is what bounds checkouts per second of one unbucketed variant (a
 * bucketed one spreads its buyers over its buckets' locks). A line
 * whose stock already reads short when the prices are read answers 409 before anything is written.
 */
public final class CheckoutService {

    public record Outcome(int status, String body, boolean replayed) {
    }

    private final Pool pool;
    private final ShopFence fence;
    private final CartStore carts;
    private final LongSupplier ids;
    private final BiConsumer<ShopId, Set<Long>> stockChanged;
    private final AutoSplit autoSplit;

    /**
     * {@code stockChanged} hears of each committed order: its shop and the products whose stock it took;
     * {@code autoSplit} of the variants it sold (it splits a hot one into stock buckets).
     */
    public CheckoutService(Pool pool, ShopFence fence, CartStore carts, LongSupplier ids, BiConsumer<ShopId, Set<Long>> stockChanged,
                           AutoSplit autoSplit) {
        this.pool = pool;
        this.fence = fence;
        this.carts = carts;
        this.ids = ids;
        this.stockChanged = stockChanged;
        this.autoSplit = autoSplit;
    }

    /**
     * No lookup of the key before the transaction: its INSERT is the lookup (a duplicate means
     * the key was used; a racing first attempt holds the row's lock until it commits). Only when
     * there is no cart to check out is the key looked up first, because a retry of a checkout
     * that succeeded finds its cart already deleted and must get the first response, not 404.
     * The order is written behind the shop's fence at {@code epoch} (the router's), see {@link ShopFence}.
     */
    public Future<Outcome> checkout(ShopId shop, long epoch, String idempotencyKey, String cartToken, String email) {
        byte[] requestHash = Digests.sha256(cartToken + "\n" + email);
        return carts.lines(shop, cartToken).recover(e -> Future.failedFuture(CartApi.unavailable(e))).compose(lines -> {
            if (lines.isEmpty() || lines.get().isEmpty()) {
                return stored(shop, idempotencyKey, requestHash).map(replay -> replay.orElseThrow(() -> new ProblemException(lines.isEmpty()
                        ? Problem.notFound("no cart " + cartToken + " in this shop")
                        : Problem.unprocessable("cart " + cartToken + " is empty"))));
            }
            return placeOrder(shop, epoch, idempotencyKey, requestHash, lines.get(), email)
                    .recover(e -> e instanceof KeyAlreadyUsed
                            ? stored(shop, idempotencyKey, requestHash).map(Optional::orElseThrow)
                            : Future.failedFuture(e))
                    // The cart is gone before the answer: a shopper who saw the order never finds its cart again
                    // (nor does a move's cutover carry it). Best effort: the order exists either way.
                    .compose(outcome -> outcome.replayed() ? Future.succeededFuture(outcome)
                            : carts.delete(shop, cartToken).otherwiseEmpty().map(outcome));
        });
    }

    /** The first response to this key, if any; a different body under the same key is the client's mistake (422). */
    private Future<Optional<Outcome>> stored(ShopId shop, String key, byte[] requestHash) {
        return pool.preparedQuery("SELECT request_sha256, response_status, response_body FROM idempotency_keys WHERE shop_id = ? AND idem_key = ?")
                .execute(Tuple.of(shop.value(), key))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    if (!Arrays.equals(row.getBuffer("request_sha256").getBytes(), requestHash)) {
                        throw new ProblemException(Problem.unprocessable(
                                "Idempotency-Key '" + key + "' was already used with a different request body"));
                    }
                    return Optional.of(new Outcome(row.getInteger("response_status"), row.getString("response_body"), true));
                });
    }

    private Future<Outcome> placeOrder(ShopId shop, long epoch, String key, byte[] requestHash, Map<Long, Integer> cart, String email) {
        long orderId = ids.getAsLong();
        String orderToken = OrderTokens.newToken();
        Set<Long> products = new HashSet<>();
        return fence.writeReadCommittedRetryingDeadlocks(shop, epoch, StockBuckets.DEADLOCK_ATTEMPTS, conn -> conn
                .preparedQuery("INSERT INTO idempotency_keys (shop_id, idem_key, request_sha256, response_status, response_body) VALUES (?, ?, ?, 0, '')")
                .execute(Tuple.of(shop.value(), key, Buffer.buffer(requestHash)))
                // Only this statement's duplicate means "the key was used": any other table's is no replay.
                .recover(e -> Future.failedFuture(SqlErrors.isDuplicateKey(e) ? new KeyAlreadyUsed() : e))
                .compose(claimed -> prices(conn, shop, cart))
                .onSuccess(prices -> prices.values().forEach(p -> products.add(p.productId())))
                .compose(prices -> writeOrder(conn, shop, epoch, orderId, orderToken, email, cart, prices).compose(order -> {
                    // The answer, token included, is kept as the key's response: a retry must get the same
                    // token, and the shard keeps only the token's hash in the order (see the README, Order privacy).
                    String body = order.copy().put("orderToken", orderToken).encode();
                    return conn.preparedQuery("UPDATE idempotency_keys SET response_status = 201, response_body = ? WHERE shop_id = ? AND idem_key = ?")
                            .execute(Tuple.of(body, shop.value(), key))
                            // The stock rows last: every checkout of a hot variant queues on its row lock, which is
                            // then held for one statement and the commit, not for the four writes before it.
                            .compose(v -> reserve(conn, shop, cart, prices))
                            .map(v -> new Outcome(201, body, false));
                })))
                // Before the response: a read on this instance after it must not see the stock before it.
                .onSuccess(placed -> stockChanged.accept(shop, products))
                .onSuccess(placed -> autoSplit.sold(shop, epoch, cart.keySet()));
    }

    /** The Idempotency-Key's row exists already: a retry, answered with the first response. */
    private static final class KeyAlreadyUsed extends RuntimeException {
        KeyAlreadyUsed() {
            super("Idempotency-Key already used", null, false, false);
        }
    }

    private record Priced(long productId, String sku, long unitAmount, String currency, StockTake.Seen stock) {
    }

    private static Future<Map<Long, Priced>> prices(SqlConnection conn, ShopId shop, Map<Long, Integer> cart) {
        List<Object> args = new ArrayList<>();
        args.add(shop.value());
        args.addAll(cart.keySet());
        String marks = String.join(",", java.util.Collections.nCopies(cart.size(), "?"));
        // One row per bucket (or one for an unbucketed variant): the stock rows as this snapshot saw them, for the line to pick from.
        return conn.preparedQuery("SELECT v.id, v.product_id, v.sku, v.price_amount, v.currency, v.inventory, b.bucket, b.inventory AS bucket_inventory"
                        + " FROM variants v LEFT JOIN variant_stock_buckets b ON b.shop_id = v.shop_id AND b.variant_id = v.id"
                        + " WHERE v.shop_id = ? AND v.id IN (" + marks + ")")
                .execute(Tuple.from(args))
                .map(rows -> {
                    Map<Long, Priced> prices = new HashMap<>();
                    rows.forEach(r -> {
                        Priced p = prices.computeIfAbsent(r.getLong("id"), id -> new Priced(r.getLong("product_id"), r.getString("sku"),
                                r.getLong("price_amount"), r.getString("currency"), new StockTake.Seen()));
                        p.stock().variantRow(r.getInteger("inventory"));
                        if (r.getValue("bucket") != null) {
                            p.stock().bucket(r.getInteger("bucket"), r.getInteger("bucket_inventory"));
                        }
                    });
                    for (Long variant : cart.keySet()) {
                        if (!prices.containsKey(variant)) {
                            throw new ProblemException(Problem.conflict("variant " + variant + " in the cart is no longer sold by this shop")
                                    .withExtension("variantId", Long.toString(variant)));
                        }
                    }
                    if (prices.values().stream().map(Priced::currency).distinct().count() > 1) {
                        throw new ProblemException(Problem.unprocessable("the cart mixes currencies; check out one currency at a time"));
                    }
                    // Fail fast when the stock read (a plain snapshot read, no lock) is already short: a sold-out
                    // flash sale then writes nothing. The conditional decrement stays the guard against oversell.
                    for (Map.Entry<Long, Integer> line : cart.entrySet()) {
                        if (prices.get(line.getKey()).stock().total() < line.getValue()) {
                            throw soldOut(line.getKey(), line.getValue(), prices);
                        }
                    }
                    return prices;
                });
    }

    /** Conditional decrements in variant order (the cart map is sorted): the no-oversell invariant. */
    private static Future<Void> reserve(SqlConnection conn, ShopId shop, Map<Long, Integer> cart, Map<Long, Priced> prices) {
        Future<Void> chain = Future.succeededFuture();
        for (Map.Entry<Long, Integer> line : cart.entrySet()) {
            chain = chain.compose(v -> StockTake.take(conn, shop, line.getKey(), line.getValue(), prices.get(line.getKey()).stock())
                    .compose(taken -> taken ? Future.<Void>succeededFuture()
                            : Future.failedFuture(soldOut(line.getKey(), line.getValue(), prices))));
        }
        return chain;
    }

    private static ProblemException soldOut(long variant, int quantity, Map<Long, Priced> prices) {
        String sku = prices.get(variant).sku();
        return new ProblemException(Problem.conflict("sold out: variant " + sku + " has fewer than " + quantity + " left")
                .withExtension("variantId", Long.toString(variant))
                .withExtension("sku", sku));
    }

    /** Writes the order (its token as a hash) and its event; returns the order's JSON, without the token (events never carry it). */
    private Future<JsonObject> writeOrder(SqlConnection conn, ShopId shop, long epoch, long orderId, String orderToken, String email,
                                          Map<Long, Integer> cart, Map<Long, Priced> prices) {
        String currency = prices.values().iterator().next().currency();
        long total = 0;
        JsonArray lines = new JsonArray();
        List<Tuple> lineRows = new ArrayList<>();
        int lineNo = 0;
        for (Map.Entry<Long, Integer> line : cart.entrySet()) {
            Priced p = prices.get(line.getKey());
            total = Math.addExact(total, Math.multiplyExact(p.unitAmount(), line.getValue()));
            lines.add(OrderJson.line(line.getKey(), p.sku(), line.getValue(), p.unitAmount(), currency));
            lineRows.add(Tuple.of(shop.value(), orderId, ++lineNo, line.getKey(), p.sku(), line.getValue(), p.unitAmount()));
        }
        // Millisecond precision, UTC: exactly what the column keeps, so a later read returns the same JSON.
        LocalDateTime createdAt = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        JsonObject order = OrderJson.order(orderId, email, OrderStatus.PENDING.name(), total, currency, OrderJson.timestamp(createdAt), lines);
        return conn.preparedQuery("INSERT INTO orders (shop_id, id, email, status, total_amount, currency, epoch, created_at, token_sha256)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(Tuple.from(List.of(shop.value(), orderId, email, OrderStatus.PENDING.name(), total, currency, epoch, createdAt,
                        Buffer.buffer(OrderTokens.hash(orderToken)))))
                .compose(v -> conn.preparedQuery("INSERT INTO order_lines (shop_id, order_id, line_no, variant_id, sku, quantity, unit_amount) VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .executeBatch(lineRows))
                .compose(v -> OutboxAppender.append(conn, shop, ids.getAsLong(), OrderStatus.PENDING.eventType(), order))
                .map(v -> order);
    }

}
