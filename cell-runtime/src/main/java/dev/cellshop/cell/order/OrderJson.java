package dev.cellshop.cell.order;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The one JSON form of an order, for responses and for events alike. */
public final class OrderJson {

    static final String ORDER_COLUMNS = "id, email, status, total_amount, currency, created_at";
    static final String LINE_COLUMNS = "order_id, line_no, variant_id, sku, quantity, unit_amount";

    private OrderJson() {
    }

    public static JsonObject order(long id, String email, String status, long total, String currency, String createdAt, JsonArray lines) {
        return new JsonObject()
                .put("id", Long.toString(id))
                .put("status", status)
                .put("email", email)
                .put("total", money(total, currency))
                .put("lines", lines)
                .put("createdAt", createdAt);
    }

    public static JsonObject line(long variantId, String sku, int quantity, long unitAmount, String currency) {
        return new JsonObject().put("variantId", Long.toString(variantId)).put("sku", sku).put("quantity", quantity)
                .put("unitPrice", money(unitAmount, currency));
    }

    static JsonObject fromRows(Row order, Iterable<Row> lines) {
        String currency = order.getString("currency");
        JsonArray json = new JsonArray();
        for (Row line : lines) {
            json.add(line(line.getLong("variant_id"), line.getString("sku"), line.getInteger("quantity"),
                    line.getLong("unit_amount"), currency));
        }
        return order(order.getLong("id"), order.getString("email"), order.getString("status"),
                order.getLong("total_amount"), currency, timestamp(order.getLocalDateTime("created_at")), json);
    }

    public static String timestamp(LocalDateTime utc) {
        return utc.atOffset(ZoneOffset.UTC).toInstant().toString();
    }

    private static JsonObject money(long amount, String currency) {
        return new JsonObject().put("amount", amount).put("currency", currency);
    }
}
