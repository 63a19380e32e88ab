package dev.cellshop.cell.outbox;

import dev.cellshop.kernel.id.ShopId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * Writes an order event into the outbox inside the caller's transaction: the event exists
 * if and only if the change it describes committed. The relay publishes it later.
 */
public final class OutboxAppender {

    private OutboxAppender() {
    }

    public static Future<Void> append(SqlConnection conn, ShopId shop, long eventId, String type, JsonObject order) {
        JsonObject event = new JsonObject()
                .put("eventId", Long.toString(eventId))
                .put("type", type)
                .put("shopId", Long.toString(shop.value()))
                .put("orderId", order.getString("id"))
                .put("occurredAt", Instant.now().toString())
                .put("order", order);
        return conn.preparedQuery("INSERT INTO outbox (shop_id, id, event_type, payload) VALUES (?, ?, ?, ?)")
                .execute(Tuple.of(shop.value(), eventId, type, event.encode()))
                .mapEmpty();
    }
}
