package dev.cellshop.cell.order;

import dev.cellshop.cell.fencing.ShopFence;
import dev.cellshop.cell.outbox.OutboxAppender;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/** Orders of a shop: reads, and the state machine's transitions with their stock and events. */
public final class OrderStore {

    private final Pool pool;
    private final ShopFence fence;
    private final LongSupplier ids;
    private final Consumer<ShopId> stockChanged;
    private final Runnable eventWritten;

    /** {@code stockChanged} hears of a committed cancellation (stock back); {@code eventWritten} of every committed change. */
    public OrderStore(Pool pool, ShopFence fence, LongSupplier ids, Consumer<ShopId> stockChanged, Runnable eventWritten) {
        this.pool = pool;
        this.fence = fence;
        this.ids = ids;
        this.stockChanged = stockChanged;
        this.eventWritten = eventWritten;
    }

    /** The merchant's read: any order of the shop. */
    public Future<Optional<JsonObject>> find(ShopId shop, long orderId) {
        return find(pool, shop, orderId, "", order -> true);
    }

    /**
     * The shopper's read: the order only when {@code token} is its orderToken. A wrong or missing
     * token finds nothing, exactly as an unknown id does, so a guessed id reveals no order.
     */
    public Future<Optional<JsonObject>> findWithToken(ShopId shop, long orderId, String token) {
        return find(pool, shop, orderId, "", order -> OrderTokens.matches(token, order.getBuffer("token_sha256")));
    }

    private Future<Optional<JsonObject>> find(SqlClient client, ShopId shop, long orderId, String lock, Predicate<Row> readable) {
        return client.preparedQuery("SELECT " + OrderJson.ORDER_COLUMNS + ", token_sha256 FROM orders WHERE shop_id = ? AND id = ?" + lock)
                .execute(Tuple.of(shop.value(), orderId))
                .compose(orders -> orders.size() == 0 || !readable.test(orders.iterator().next()) ? Future.succeededFuture(Optional.empty())
                        : client.preparedQuery("SELECT " + OrderJson.LINE_COLUMNS + " FROM order_lines WHERE shop_id = ? AND order_id = ? ORDER BY line_no")
                                .execute(Tuple.of(shop.value(), orderId))
                                .map(lines -> Optional.of(OrderJson.fromRows(orders.iterator().next(), lines))));
    }

    /** Newest first is what a merchant wants; keyset paging on the id (ids grow with time). */
    public Future<List<JsonObject>> page(ShopId shop, long beforeId, int limit) {
        return pool.preparedQuery("SELECT " + OrderJson.ORDER_COLUMNS + " FROM orders WHERE shop_id = ? AND id < ? ORDER BY id DESC LIMIT ?")
                .execute(Tuple.of(shop.value(), beforeId, limit))
                .compose(orders -> withLines(shop, orders));
    }

    private Future<List<JsonObject>> withLines(ShopId shop, RowSet<Row> orders) {
        List<Row> rows = new ArrayList<>();
        orders.forEach(rows::add);
        if (rows.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        long newest = rows.get(0).getLong("id");
        long oldest = rows.get(rows.size() - 1).getLong("id");
        return pool.preparedQuery("SELECT " + OrderJson.LINE_COLUMNS + " FROM order_lines WHERE shop_id = ? AND order_id BETWEEN ? AND ? ORDER BY order_id, line_no")
                .execute(Tuple.of(shop.value(), oldest, newest))
                .map(lines -> {
                    Map<Long, List<Row>> byOrder = new HashMap<>();
                    lines.forEach(line -> byOrder.computeIfAbsent(line.getLong("order_id"), id -> new ArrayList<>()).add(line));
                    return rows.stream().map(order -> OrderJson.fromRows(order, byOrder.getOrDefault(order.getLong("id"), List.of()))).toList();
                });
    }

    /**
     * pay / fulfill / cancel in one transaction: the order row is locked, the move checked
     * against the state machine, a cancel puts every line's quantity back on its variant
     * (in variant order, the same order checkouts lock them in, so the two never deadlock),
     * and the event goes to the outbox; behind the shop's fence at the routed {@code epoch}.
     */
    public Future<JsonObject> transition(ShopId shop, long epoch, long orderId, String action) {
        return fence.write(shop, epoch, conn -> find(conn, shop, orderId, " FOR UPDATE", order -> true).compose(found -> {
            JsonObject order = found.orElseThrow(() -> new ProblemException(Problem.notFound("no order " + orderId + " in this shop")));
            OrderStatus from = OrderStatus.valueOf(order.getString("status"));
            OrderStatus to = from.after(action).orElseThrow(() -> new ProblemException(
                    Problem.conflict("cannot " + action + " an order that is " + from).withExtension("orderStatus", from.name())));
            Future<?> restock = Future.succeededFuture();
            if (to == OrderStatus.CANCELLED) {
                List<JsonObject> lines = new ArrayList<>();
                order.getJsonArray("lines").forEach(l -> lines.add((JsonObject) l));
                lines.sort(Comparator.comparing(l -> Long.parseLong(l.getString("variantId"))));
                for (JsonObject line : lines) {
                    restock = restock.compose(v -> conn.preparedQuery("UPDATE variants SET inventory = inventory + ? WHERE shop_id = ? AND id = ?")
                            .execute(Tuple.of(line.getInteger("quantity"), shop.value(), Long.parseLong(line.getString("variantId")))));
                }
            }
            JsonObject updated = order.copy().put("status", to.name());
            return restock
                    .compose(v -> conn.preparedQuery("UPDATE orders SET status = ? WHERE shop_id = ? AND id = ?")
                            .execute(Tuple.of(to.name(), shop.value(), orderId)))
                    .compose(v -> OutboxAppender.append(conn, shop, ids.getAsLong(), to.eventType(), updated))
                    .map(v -> updated);
        })).onSuccess(order -> {
            eventWritten.run();
            if (OrderStatus.CANCELLED.name().equals(order.getString("status"))) {
                stockChanged.accept(shop);
            }
        });
    }
}
