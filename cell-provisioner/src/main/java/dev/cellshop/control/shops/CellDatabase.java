package dev.cellshop.control.shops;

import dev.cellshop.cell.schema.CellSchema;
import dev.cellshop.cell.schema.ShopFences;
import dev.cellshop.control.credentials.CellCredentials;
import dev.cellshop.control.mover.CellMysql;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.signing.Digests;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The shop rows the control plane writes in a cell's own database, over JDBC (MySQL
 * Connector/J). Server-side prepared statements stay off so the same code works through a
 * Vitess vtgate. Each cell is reached with its own login ({@link CellCredentials}): descriptors
 * in ZooKeeper never carry passwords.
 */
public final class CellDatabase implements ShopRows {

    /** The shop-owned tables of the cell schema (db/cell in cell-schema), children first. */
    private static final List<String> SHOP_TABLES = List.of("shop_fences", "outbox", "idempotency_keys", "order_lines", "orders", "variant_stock_buckets", "variants",
            "products", "shop_admin_tokens", "shops");

    private final CellCredentials credentials;

    public CellDatabase(CellCredentials credentials) {
        this.credentials = credentials;
    }

    /**
     * The shop's row, its hashed admin token and its fence (ACTIVE at the first placement's
     * epoch, so the row a cutover freezes exists from the start), in one transaction.
     */
    @Override
    public void insertShop(CellDescriptor cell, ShopId shop, NewShop request, String adminToken) throws SQLException {
        try (Connection c = connect(cell)) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO shops (shop_id, name, domain, currency) VALUES (?, ?, ?, ?)");
                 PreparedStatement t = c.prepareStatement("INSERT INTO shop_admin_tokens (shop_id, token_sha256) VALUES (?, ?)")) {
                s.setLong(1, shop.value());
                s.setString(2, request.name());
                s.setString(3, request.domain());
                s.setString(4, request.currency());
                s.executeUpdate();
                t.setLong(1, shop.value());
                t.setBytes(2, Digests.sha256(adminToken));
                t.executeUpdate();
                ShopFences.write(c, shop.value(), ShopFences.State.ACTIVE, Placement.initial(cell.cellId()).epoch());
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Every row of the shop in the cell, children before parents, in one transaction: what
     * {@link #insertShop} wrote when the placement could not be written, or a certification
     * canary with its product, cart checkout and order.
     */
    @Override
    public void deleteShop(CellDescriptor cell, ShopId shop) throws SQLException {
        try (Connection c = connect(cell)) {
            c.setAutoCommit(false);
            for (String table : SHOP_TABLES) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE shop_id = ?")) {
                    s.setLong(1, shop.value());
                    s.executeUpdate();
                }
            }
            c.commit();
        }
    }

    public record ShopRow(String name, String domain, String currency) {
    }

    public Optional<ShopRow> shop(CellDescriptor cell, ShopId shop) throws SQLException {
        try (Connection c = connect(cell);
             PreparedStatement s = c.prepareStatement("SELECT name, domain, currency FROM shops WHERE shop_id = ?")) {
            s.setLong(1, shop.value());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new ShopRow(rs.getString(1), rs.getString(2), rs.getString(3))) : Optional.empty();
            }
        }
    }

    /** Opens and validates one connection: the certification's reachability check of the cell's MySQL. */
    public void ping(CellDescriptor cell) throws SQLException {
        try (Connection c = connect(cell)) {
            if (!c.isValid(5)) {
                throw new SQLException("the connection did not validate within 5 s");
            }
        }
    }

    /**
     * Brings the cell's schema up to date with the one set of migrations the cell-runtime
     * also runs ({@link CellSchema}, Flyway, locked); returns the schema version.
     */
    public String migrate(CellDescriptor cell) {
        CellMysql mysql = CellMysql.of(cell, credentials);
        return CellSchema.migrate(mysql.jdbcUrl(), mysql.user(), mysql.password());
    }

    private Connection connect(CellDescriptor cell) throws SQLException {
        return CellMysql.of(cell, credentials).connect(Duration.ofSeconds(15));
    }
}
