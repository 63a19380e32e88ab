package dev.cellshop.control.mover;

import dev.cellshop.kernel.signing.Digests;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Rows of test shops in a cell's schema (the shard's, or a clone of it): a shop with rows in
 * every shop table (composite keys, a binary key, string keys, product ids -5 and 0,
 * non-ASCII text, a variant's stock in buckets), and the cleanup of those shops on both cells.
 */
final class ShopRows {

    static final String CLONE = "mover_it";
    private static final Set<String> CLONED = new HashSet<>();

    static final List<String> TABLES = List.of("shops", "shop_admin_tokens", "products", "variants", "variant_stock_buckets", "orders",
            "order_lines", "idempotency_keys", "outbox");
    /** The tables a move copies and verifies: all but the outbox (drained on the source instead). */
    static final List<String> MOVED_TABLES = TABLES.stream().filter(t -> !ShopTables.NOT_MOVED.contains(t)).toList();

    private ShopRows() {
    }

    /** The cell's MySQL on its shard's own schema. */
    static CellMysql cell(PlatformEndpoints platform, String cellId) {
        PlatformEndpoints.Mysql m = platform.cell(cellId).mysql();
        return new CellMysql(m.host(), m.port(), m.database(), m.user(), m.password());
    }

    /**
     * The cell's MySQL on {@link #CLONE}: the shard's shop tables cloned ({@code CREATE TABLE
     * ... LIKE}, once per test JVM), for tests of the copy and the binlog path alone. Each
     * cell's runtime relays and deletes every outbox row of its shard's own schema, whatever
     * shop it belongs to, so there the target's relay would delete the moving shop's copied
     * outbox rows under the test (the cutover settles that for real moves).
     */
    static synchronized CellMysql clone(PlatformEndpoints platform, String cellId) throws SQLException {
        CellMysql shard = cell(platform, cellId);
        if (CLONED.add(cellId)) {
            try (Connection c = shard.connect(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + CLONE);
                s.execute("CREATE DATABASE " + CLONE);
                for (String table : TABLES) {
                    s.execute("CREATE TABLE " + CLONE + "." + table + " LIKE " + shard.database() + "." + table);
                }
            }
        }
        return new CellMysql(shard.host(), shard.port(), CLONE, shard.user(), shard.password());
    }

    /** A shop id no other test run uses; its rows are removed after the test. */
    static long newShopId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000_000L);
    }

    /** {@code products} products (ids -5, 0, 1..products-2), two variants each, half as many orders of three lines. */
    static void seed(CellMysql cell, long shop, int products) throws SQLException {
        try (Connection c = cell.connect()) {
            c.setAutoCommit(false);
            exec(c, "INSERT INTO shops (shop_id, name, domain, currency) VALUES (?, ?, ?, 'EUR')", shop, "Shöp ✓ " + shop, "s" + shop + ".example");
            exec(c, "INSERT INTO shop_admin_tokens (shop_id, token_sha256) VALUES (?, ?)", shop, Digests.sha256("a" + shop));
            exec(c, "INSERT INTO shop_admin_tokens (shop_id, token_sha256) VALUES (?, ?)", shop, Digests.sha256("b" + shop));
            try (PreparedStatement p = c.prepareStatement("INSERT INTO products (shop_id, id, title) VALUES (?, ?, ?)");
                 PreparedStatement v = c.prepareStatement("INSERT INTO variants (shop_id, id, product_id, sku, price_amount, currency, inventory)"
                         + " VALUES (?, ?, ?, ?, ?, 'EUR', ?)")) {
                for (long id = -5; id < products - 1; id = id == -5 ? 0 : id + 1) {
                    p.setLong(1, shop);
                    p.setLong(2, id);
                    p.setString(3, "Product " + id + " — naïve café 🚀");
                    p.addBatch();
                    for (int k = 0; k < 2; k++) {
                        v.setLong(1, shop);
                        v.setLong(2, id * 10 + k);
                        v.setLong(3, id);
                        v.setString(4, "sku-" + id + "-" + k);
                        v.setLong(5, 100 + id);
                        v.setInt(6, 50);
                        v.addBatch();
                    }
                }
                p.executeBatch();
                v.executeBatch();
            }
            // a sale's stock buckets (V4): variant 0's stock over four rows, its variants row at 0 as a split leaves it
            exec(c, "UPDATE variants SET inventory = 0 WHERE shop_id = ? AND id = 0", shop);
            for (int bucket = 0; bucket < 4; bucket++) {
                exec(c, "INSERT INTO variant_stock_buckets (shop_id, variant_id, bucket, inventory) VALUES (?, 0, ?, ?)", shop, bucket, 12 + (bucket < 2 ? 1 : 0));
            }
            try (PreparedStatement o = c.prepareStatement("INSERT INTO orders (shop_id, id, email, status, total_amount, currency, token_sha256) VALUES (?, ?, ?, 'PAID', ?, 'EUR', ?)");
                 PreparedStatement l = c.prepareStatement("INSERT INTO order_lines (shop_id, order_id, line_no, variant_id, sku, quantity, unit_amount) VALUES (?, ?, ?, ?, ?, 1, 100)");
                 PreparedStatement k = c.prepareStatement("INSERT INTO idempotency_keys (shop_id, idem_key, request_sha256, response_status, response_body) VALUES (?, ?, ?, 201, ?)");
                 PreparedStatement e = c.prepareStatement("INSERT INTO outbox (shop_id, id, event_type, payload) VALUES (?, ?, 'order.created', ?)")) {
                for (long id = 1; id <= products / 2; id++) {
                    o.setLong(1, shop);
                    o.setLong(2, id);
                    o.setString(3, "buyer" + id + "@example.com");
                    o.setLong(4, 300);
                    o.setBytes(5, id % 2 == 0 ? null : Digests.sha256("order-token-" + id)); // even: an order made before order tokens
                    o.addBatch();
                    for (int line = 1; line <= 3; line++) {
                        l.setLong(1, shop);
                        l.setLong(2, id);
                        l.setInt(3, line);
                        l.setLong(4, line);
                        l.setString(5, "sku-" + line + "-0");
                        l.addBatch();
                    }
                    k.setLong(1, shop);
                    k.setString(2, "idem-" + id);
                    k.setBytes(3, Digests.sha256("req" + id));
                    k.setString(4, "{\"orderId\":" + id + ",\"note\":\"€\"}");
                    k.addBatch();
                    e.setLong(1, shop);
                    e.setLong(2, id);
                    e.setString(3, "{\"orderId\":" + id + "}");
                    e.addBatch();
                }
                o.executeBatch();
                l.executeBatch();
                k.executeBatch();
                e.executeBatch();
            }
            c.commit();
        }
    }

    /** The shops' rows, on each given cell. */
    static void deleteShops(List<CellMysql> cells, long... shops) throws SQLException {
        for (CellMysql cell : cells) {
            try (Connection c = cell.connect()) {
                for (String table : TABLES) {
                    for (long shop : shops) {
                        exec(c, "DELETE FROM " + table + " WHERE shop_id = ?", shop);
                    }
                }
            }
        }
    }

    /** Every row of the shop on the cell, over all shop tables. */
    static long rows(CellMysql cell, long shop) throws SQLException {
        return rowsPerTable(cell, shop).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The shop's rows on the cell in the tables a move copies. */
    static long movedRows(CellMysql cell, long shop) throws SQLException {
        return movedRowsPerTable(cell, shop).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The shop's rows on the cell, per table a move copies. */
    static Map<String, Long> movedRowsPerTable(CellMysql cell, long shop) throws SQLException {
        Map<String, Long> rows = rowsPerTable(cell, shop);
        rows.keySet().retainAll(MOVED_TABLES);
        return rows;
    }

    /** The shop's rows on the cell, per shop table. */
    static Map<String, Long> rowsPerTable(CellMysql cell, long shop) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection c = cell.connect()) {
            for (String table : TABLES) {
                try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE shop_id = ?")) {
                    s.setLong(1, shop);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        rows.put(table, rs.getLong(1));
                    }
                }
            }
        }
        return rows;
    }

    /** The shop's orders on the cell: id -> HEX of the order token's hash ("NULL" for an order made before tokens). */
    static Map<Long, String> orderTokenHashes(CellMysql cell, long shop) throws SQLException {
        Map<Long, String> hashes = new TreeMap<>();
        try (Connection c = cell.connect();
             PreparedStatement s = c.prepareStatement("SELECT id, IFNULL(HEX(token_sha256), 'NULL') FROM orders WHERE shop_id = ?")) {
            s.setLong(1, shop);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    hashes.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return hashes;
    }

    static int exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        }
    }
}
