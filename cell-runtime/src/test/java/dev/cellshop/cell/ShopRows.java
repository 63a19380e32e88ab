package dev.cellshop.cell;

import dev.cellshop.cell.schema.ShopFences;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.signing.Digests;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.UUID;

/** What the control plane writes in a cell's shard when it places a shop there: its row, its hashed admin token and its fence. */
public final class ShopRows {

    private ShopRows() {
    }

    /** Inserts the shop ({@code label} names it and its domain) and returns its new admin token. */
    public static String insert(PlatformEndpoints.Mysql mysql, ShopId shop, String label) throws Exception {
        String token = "adm_" + UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password())) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO shops (shop_id, name, domain, currency) VALUES (?, ?, ?, 'EUR')")) {
                s.setLong(1, shop.value());
                s.setString(2, label + " shop " + shop.value());
                s.setString(3, label + "-" + shop.value() + ".test");
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO shop_admin_tokens (shop_id, token_sha256) VALUES (?, ?)")) {
                s.setLong(1, shop.value());
                s.setBytes(2, Digests.sha256(token));
                s.executeUpdate();
            }
            ShopFences.write(c, shop.value(), ShopFences.State.ACTIVE, 1);
        }
        return token;
    }
}
