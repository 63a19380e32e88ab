package dev.cellshop.chaos.check;

import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the cells' shards hold of the run's shops once it settled: every order (with its lines),
 * every variant's stock, on every cell — read straight from each MariaDB, not through the API,
 * so a row the API would never show (a copy left on a cell the shop no longer lives on) is seen.
 */
public final class CellRows {

    /** {@code epoch}: the placement epoch the order was written under (0: written before orders recorded it). */
    public record OrderRow(String cell, long shop, long id, String status, long createdAtMillis, long epoch, Map<Long, Integer> lines) {
    }

    public record VariantRow(String cell, long shop, long id, int inventory) {
    }

    private final List<OrderRow> orders;
    private final List<VariantRow> variants;

    private CellRows(List<OrderRow> orders, List<VariantRow> variants) {
        this.orders = orders;
        this.variants = variants;
    }

    static CellRows of(List<OrderRow> orders, List<VariantRow> variants) {
        return new CellRows(List.copyOf(orders), List.copyOf(variants));
    }

    public static CellRows read(PlatformEndpoints platform, Collection<Long> shops) throws SQLException {
        String in = shops.stream().map(String::valueOf).collect(Collectors.joining(","));
        List<OrderRow> orders = new ArrayList<>();
        List<VariantRow> variants = new ArrayList<>();
        for (PlatformEndpoints.Cell cell : platform.cells()) {
            try (Connection c = connect(cell.mysql())) {
                Map<String, Map<Long, Integer>> lines = new HashMap<>();
                try (ResultSet r = c.createStatement().executeQuery(
                        "SELECT shop_id, order_id, variant_id, quantity FROM order_lines WHERE shop_id IN (" + in + ")")) {
                    while (r.next()) {
                        lines.computeIfAbsent(r.getLong(1) + "/" + r.getLong(2), k -> new HashMap<>()).merge(r.getLong(3), r.getInt(4), Integer::sum);
                    }
                }
                try (ResultSet r = c.createStatement().executeQuery(
                        "SELECT shop_id, id, status, created_at, epoch FROM orders WHERE shop_id IN (" + in + ")")) {
                    while (r.next()) {
                        Timestamp created = r.getTimestamp(4);
                        orders.add(new OrderRow(cell.cellId(), r.getLong(1), r.getLong(2), r.getString(3), created.getTime(), r.getLong(5),
                                Map.copyOf(lines.getOrDefault(r.getLong(1) + "/" + r.getLong(2), Map.of()))));
                    }
                }
                try (ResultSet r = c.createStatement().executeQuery(
                        "SELECT shop_id, id, inventory FROM variants WHERE shop_id IN (" + in + ")")) {
                    while (r.next()) {
                        variants.add(new VariantRow(cell.cellId(), r.getLong(1), r.getLong(2), r.getInt(3)));
                    }
                }
            }
        }
        return new CellRows(List.copyOf(orders), List.copyOf(variants));
    }

    /** Events still waiting in a cell's outbox (for the run's shops). */
    public static long outboxBacklog(PlatformEndpoints.Cell cell, Collection<Long> shops) throws SQLException {
        String in = shops.stream().map(String::valueOf).collect(Collectors.joining(","));
        try (Connection c = connect(cell.mysql());
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE shop_id IN (" + in + ")");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Connection connect(PlatformEndpoints.Mysql mysql) throws SQLException {
        // The session's time zone is UTC, as the servers' (created_at is UTC): no shift when read as a Timestamp.
        return DriverManager.getConnection(mysql.jdbcUrl() + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true",
                mysql.user(), mysql.password());
    }

    public List<OrderRow> orders() {
        return orders;
    }

    public List<VariantRow> variants() {
        return variants;
    }
}
