package dev.cellshop.control.shops;

import dev.cellshop.cell.schema.CellSchema;
import dev.cellshop.cell.schema.ShopFences;
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
 * Vitess vtgate. Credentials are the control plane's, the same for every cell for now (a
 * secret store per cell is for later): descriptors in ZooKeeper never carry passwords.
 */
public final class CellDatabase implements ShopRows {

    /** The database of a cell given as {@code host:port}. */
    static final String DEFAULT_DATABASE = "cellshop";

    /** The shop-owned tables of the cell schema (db/cell in cell-schema), children first. */
    private static final List<String> SHOP_TABLES = List.of("shop_fences", "outbox", "idempotency_keys", "order_lines", "orders", "variants",
            "products", "shop_admin_tokens", "shops");

    private final String user;
    private final String password;

    public CellDatabase(String user, String password) {
        this.user = user;
        this.password = password;
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
        String url = jdbcUrl(cell.endpoints().mysql());
        return CellSchema.migrate(url + (url.contains("?") ? "&" : "?") + "useServerPrepStmts=false&connectTimeout=5000",
                user, password);
    }

    private Connection connect(CellDescriptor cell) throws SQLException {
        return CellMysql.fromJdbcUrl(jdbcUrl(cell.endpoints().mysql()), user, password).connect(Duration.ofSeconds(15));
    }

    /** A cell descriptor's MySQL endpoint (a JDBC URL, or host:port of the default database) as a JDBC URL. */
    public static String jdbcUrl(String endpoint) {
        return endpoint.startsWith("jdbc:") ? endpoint : "jdbc:mysql://" + endpoint + "/" + DEFAULT_DATABASE;
    }
}
