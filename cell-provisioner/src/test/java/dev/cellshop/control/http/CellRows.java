package dev.cellshop.control.http;

import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A cell's MySQL as the control plane's tests seed and count a shop's rows there. */
final class CellRows {

    private CellRows() {
    }

    static Connection connect(PlatformEndpoints platform, String cell) throws SQLException {
        PlatformEndpoints.Mysql mysql = platform.cell(cell).mysql();
        return DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
    }

    /** The shop's products on the cell. */
    static long products(PlatformEndpoints platform, String cell, String shop) throws SQLException {
        try (Connection c = connect(platform, cell); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM products WHERE shop_id = ?")) {
            s.setLong(1, Long.parseLong(shop));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Products 1..{@code rows} for the shop, straight into the cell: a catalogue large enough for a copy that takes seconds. */
    static void seedCatalogue(PlatformEndpoints platform, String cell, String shop, long rows) throws SQLException {
        try (Connection c = connect(platform, cell); PreparedStatement catalogue = c.prepareStatement(
                "INSERT INTO products (shop_id, id, title) SELECT ?, seq, CONCAT('catalogue ', seq) FROM seq_1_to_" + rows)) {
            catalogue.setLong(1, Long.parseLong(shop));
            catalogue.executeUpdate();
        }
    }
}
