package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The copy writes values as the source has them, byte for byte, whatever they hold and
 * however the target server reads string literals: rows go to the target as parameters, never
 * as SQL text the source formatted (a {@code QUOTE()}d backslash means one thing to a server
 * in the default sql_mode and another to one in {@code NO_BACKSLASH_ESCAPES}).
 */
@ExtendWith(LocalPlatformExtension.class)
class CopiedValuesIT {

    private static final String SCHEMA = "mover_values_it";
    private static final String TABLE = "CREATE TABLE " + SCHEMA + ".notes (shop_id BIGINT NOT NULL, id INT NOT NULL,"
            + " body MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, title VARCHAR(200) CHARACTER SET latin1,"
            + " code VARCHAR(64) CHARACTER SET ascii, raw VARBINARY(64), price DECIMAL(12,4), ratio DECIMAL(30,20), born DATETIME(3),"
            + " at TIMESTAMP(6) NULL, PRIMARY KEY (shop_id, id))";
    private static final String NASTY = "it's \"quoted\" \\ \\\\ \\' \\0 \0 nul, '); DROP TABLE orders; -- 🛒🧾 é ü ß 中文 \r\n\t\u001a end\\";

    @Test
    void a_row_of_quotes_backslashes_nul_emoji_and_sql_is_copied_byte_exact_to_a_no_backslash_escapes_server(PlatformEndpoints platform)
            throws Exception {
        CellMysql a = schema(ShopRows.cell(platform, "cell-a"));
        CellMysql b = schema(ShopRows.cell(platform, "cell-b"));
        long shop = ShopRows.newShopId();
        try (Connection c = a.connect();
             PreparedStatement s = c.prepareStatement("INSERT INTO notes (shop_id, id, body, title, code, raw, price, ratio, at, born)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert(s, shop, 1, NASTY, "l'été \\ \"x\" \\0 '); DROP TABLE orders; --", "a'b\\c\\0", new byte[] {0, '\'', '\\', '"', 0x1a, (byte) 0xff,
                    (byte) 0x80, 'x'}, "12345678.1234", "0.1", "2026-12-07 21:35:24.123456", "1999-12-31 23:59:59.999");
            insert(s, shop, 2, null, null, null, null, null, null, null, null);
            insert(s, shop, 3, "", "", "", new byte[0], "-0.0001", "-1234567890.12345678901234567890", "1970-01-01 00:00:01.000001",
                    "1000-01-01 00:00:00.000");
        }
        List<ShopTable> tables;
        try (Connection c = a.connect()) {
            tables = ShopTables.discover(c, SCHEMA);
        }
        String mode = globalSqlMode(b);
        try {
            setGlobalSqlMode(b, mode.isEmpty() ? "NO_BACKSLASH_ESCAPES" : mode + ",NO_BACKSLASH_ESCAPES");

            new RowCopier(a, b, shop, new RowCopier.Options(2, 1), Throttle.NEVER, RowCopier.BatchListener.NONE).copy(tables, Map.of(), Map.of());
        } finally {
            setGlobalSqlMode(b, mode);
        }

        assertThat(hexRows(b, shop)).as("every column's bytes on the target").isEqualTo(hexRows(a, shop)).hasSize(3);
        assertThat(body(b, shop)).isEqualTo(NASTY);
        assertThat(tableExists(b, "orders")).as("no value ran as SQL").isTrue();
        assertThat(new Verifier(a, b, shop, 1).verify(tables).equal()).isTrue();
    }

    private static void insert(PreparedStatement s, long shop, int id, String body, String title, String code, byte[] raw, String price,
                               String ratio, String at, String born) throws Exception {
        s.setLong(1, shop);
        s.setInt(2, id);
        s.setString(3, body);
        s.setString(4, title);
        s.setString(5, code);
        s.setBytes(6, raw);
        s.setString(7, price);
        s.setString(8, ratio);
        s.setString(9, at);
        s.setString(10, born);
        s.executeUpdate();
    }

    /** A private schema on the cell's MySQL with the test's table, and an {@code orders} table a value must not drop. */
    private static CellMysql schema(CellMysql shard) throws Exception {
        try (Connection c = shard.connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + SCHEMA);
            s.execute("CREATE DATABASE " + SCHEMA);
            s.execute(TABLE);
            s.execute("CREATE TABLE " + SCHEMA + ".orders (id INT PRIMARY KEY)");
        }
        return new CellMysql(shard.host(), shard.port(), SCHEMA, shard.user(), shard.password());
    }

    private static String globalSqlMode(CellMysql cell) throws Exception {
        try (Connection c = cell.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.sql_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void setGlobalSqlMode(CellMysql cell, String mode) throws Exception {
        try (Connection c = cell.connect(); PreparedStatement s = c.prepareStatement("SET GLOBAL sql_mode = ?")) {
            s.setString(1, mode);
            s.execute();
        }
    }

    private static List<String> hexRows(CellMysql cell, long shop) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = cell.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CONCAT_WS('|', id, IFNULL(HEX(body), 'NULL'), IFNULL(HEX(title), 'NULL'),"
                     + " IFNULL(HEX(code), 'NULL'), IFNULL(HEX(raw), 'NULL'), IFNULL(price, 'NULL'), IFNULL(ratio, 'NULL'),"
                     + " IFNULL(at, 'NULL'), IFNULL(born, 'NULL')) FROM notes WHERE shop_id = " + shop + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static String body(CellMysql cell, long shop) throws Exception {
        try (Connection c = cell.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT body FROM notes WHERE shop_id = " + shop + " AND id = 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean tableExists(CellMysql cell, String table) throws Exception {
        try (Connection c = cell.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + SCHEMA
                     + "' AND TABLE_NAME = '" + table + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
