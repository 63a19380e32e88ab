package dev.cellshop.cell.bench;

import dev.cellshop.cell.order.OrderJson;
import dev.cellshop.cell.order.OrderTokens;
import dev.cellshop.kernel.id.LeasedIdGenerator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The checkout's transaction without the service around it, on one JDBC connection, in
 * CheckoutService's statement order: claim the idempotency key, read the price, write the order,
 * its line and its outbox event, store the response, decrement conditionally, commit.
 */
final class RawCheckoutTransaction implements AutoCloseable {

    /** Failures logged at most (the count goes into the figures). */
    private static final AtomicInteger LOGGED = new AtomicInteger();

    private final Connection c;
    private final long shop;
    private final LeasedIdGenerator ids;
    private final MessageDigest sha = sha256();
    private final PreparedStatement claim;
    private final PreparedStatement price;
    private final PreparedStatement reserve;
    private final PreparedStatement order;
    private final PreparedStatement line;
    private final PreparedStatement outbox;
    private final PreparedStatement respond;

    RawCheckoutTransaction(Connection c, long shop, LeasedIdGenerator ids) throws SQLException {
        this.c = c;
        this.shop = shop;
        this.ids = ids;
        c.setAutoCommit(false);
        claim = c.prepareStatement("INSERT INTO idempotency_keys (shop_id, idem_key, request_sha256, response_status, response_body) VALUES (?, ?, ?, 0, '')");
        price = c.prepareStatement("SELECT id, product_id, sku, price_amount, currency, inventory FROM variants WHERE shop_id = ? AND id IN (?)");
        reserve = c.prepareStatement("UPDATE variants SET inventory = inventory - ? WHERE shop_id = ? AND id = ? AND inventory >= ?");
        order = c.prepareStatement("INSERT INTO orders (shop_id, id, email, status, total_amount, currency, created_at, token_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        line = c.prepareStatement("INSERT INTO order_lines (shop_id, order_id, line_no, variant_id, sku, quantity, unit_amount) VALUES (?, ?, ?, ?, ?, ?, ?)");
        outbox = c.prepareStatement("INSERT INTO outbox (shop_id, id, event_type, payload) VALUES (?, ?, ?, ?)");
        respond = c.prepareStatement("UPDATE idempotency_keys SET response_status = 201, response_body = ? WHERE shop_id = ? AND idem_key = ?");
    }

    /** One checkout of one unit of {@code variant}; false when it rolled back (the failure is logged, the first few). */
    boolean run(long variant, String key, String email) throws SQLException {
        try {
            claim.setLong(1, shop);
            claim.setString(2, key);
            claim.setBytes(3, sha.digest((key + "\n" + email).getBytes(StandardCharsets.UTF_8)));
            claim.executeUpdate();
            price.setLong(1, shop);
            price.setLong(2, variant);
            String sku;
            long amount;
            String currency;
            try (ResultSet rs = price.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no variant " + variant);
                }
                sku = rs.getString("sku");
                amount = rs.getLong("price_amount");
                currency = rs.getString("currency");
                if (rs.getLong("inventory") < 1) {
                    throw new SQLException("sold out");
                }
            }
            long orderId = ids.nextId();
            LocalDateTime createdAt = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
            JsonObject body = OrderJson.order(orderId, email, "PENDING", amount, currency, OrderJson.timestamp(createdAt),
                    new JsonArray().add(OrderJson.line(variant, sku, 1, amount, currency)));
            order.setLong(1, shop);
            order.setLong(2, orderId);
            order.setString(3, email);
            order.setString(4, "PENDING");
            order.setLong(5, amount);
            order.setString(6, currency);
            order.setTimestamp(7, Timestamp.valueOf(createdAt));
            String orderToken = OrderTokens.newToken();
            order.setBytes(8, OrderTokens.hash(orderToken));
            order.executeUpdate();
            line.setLong(1, shop);
            line.setLong(2, orderId);
            line.setInt(3, 1);
            line.setLong(4, variant);
            line.setString(5, sku);
            line.setInt(6, 1);
            line.setLong(7, amount);
            line.addBatch();
            line.executeBatch();
            long eventId = ids.nextId();
            JsonObject event = new JsonObject().put("eventId", Long.toString(eventId)).put("type", "order.created")
                    .put("shopId", Long.toString(shop)).put("orderId", Long.toString(orderId))
                    .put("occurredAt", Instant.now().toString()).put("order", body);
            outbox.setLong(1, shop);
            outbox.setLong(2, eventId);
            outbox.setString(3, "order.created");
            outbox.setString(4, event.encode());
            outbox.executeUpdate();
            respond.setString(1, body.copy().put("orderToken", orderToken).encode());
            respond.setLong(2, shop);
            respond.setString(3, key);
            respond.executeUpdate();
            // The conditional decrement last, as CheckoutService does: the hot row's lock is held only until the commit.
            reserve.setInt(1, 1);
            reserve.setLong(2, shop);
            reserve.setLong(3, variant);
            reserve.setInt(4, 1);
            if (reserve.executeUpdate() != 1) {
                throw new SQLException("sold out");
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            if (LOGGED.incrementAndGet() <= 5) {
                Results.log("raw transaction: " + e.getMessage());
            }
            return false;
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement s : new PreparedStatement[] {claim, price, reserve, order, line, outbox, respond}) {
            s.close();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
