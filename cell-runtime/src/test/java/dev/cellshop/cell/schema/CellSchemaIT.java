package dev.cellshop.cell.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class CellSchemaIT {

    @Test
    void a_fresh_shard_gets_every_table_with_shop_id_leading_each_shop_owned_primary_key(PlatformEndpoints platform) throws Exception {
        PlatformEndpoints.Mysql mysql = platform.cell("cell-a").mysql();
        String database = "it_schema_" + System.nanoTime();
        String url = mysql.jdbcUrl().replace("/" + mysql.database() + "?", "/" + database + "?");
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password())) {
            c.createStatement().execute("CREATE DATABASE " + database);
        }
        try {
            assertThat(CellSchema.migrate(url, mysql.user(), mysql.password())).isEqualTo("4");
            assertThat(CellSchema.migrate(url, mysql.user(), mysql.password())).as("a second run changes nothing").isEqualTo("4");

            try (Connection c = DriverManager.getConnection(url, mysql.user(), mysql.password()); Statement s = c.createStatement()) {
                List<String> firstKeyColumns = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT table_name, column_name FROM information_schema.key_column_usage"
                        + " WHERE table_schema = DATABASE() AND constraint_name = 'PRIMARY' AND ordinal_position = 1"
                        + " AND table_name <> 'flyway_schema_history' ORDER BY table_name")) {
                    while (rs.next()) {
                        firstKeyColumns.add(rs.getString(1) + "." + rs.getString(2));
                    }
                }
                assertThat(firstKeyColumns).containsExactlyInAnyOrder("idempotency_keys.shop_id", "order_lines.shop_id", "orders.shop_id",
                        "outbox.shop_id", "products.shop_id", "shop_admin_tokens.shop_id", "shop_fences.shop_id", "shops.shop_id", "variants.shop_id",
                        "variant_stock_buckets.shop_id");

                try (ResultSet rs = s.executeQuery("SELECT column_type, is_nullable FROM information_schema.columns"
                        + " WHERE table_schema = DATABASE() AND table_name = 'orders' AND column_name = 'token_sha256'")) {
                    assertThat(rs.next()).as("orders keep their token's hash (V3)").isTrue();
                    assertThat(rs.getString(1) + " " + rs.getString(2)).as("an order made before V3 has none").isEqualTo("binary(32) YES");
                }

                s.execute("INSERT INTO variants (shop_id, id, product_id, sku, price_amount, currency, inventory) VALUES (1, 1, 1, 'A', 100, 'EUR', 1)");
                assertThatThrownBy(() -> s.executeUpdate("UPDATE variants SET inventory = inventory - 2 WHERE shop_id = 1 AND id = 1"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("variants_inventory_not_negative");
                s.execute("INSERT INTO variant_stock_buckets (shop_id, variant_id, bucket, inventory) VALUES (1, 1, 0, 1)");
                assertThatThrownBy(() -> s.executeUpdate("UPDATE variant_stock_buckets SET inventory = inventory - 2 WHERE shop_id = 1 AND variant_id = 1"))
                        .as("a bucket guards itself as the variants row does (V4)").isInstanceOf(SQLException.class)
                        .hasMessageContaining("variant_stock_buckets_inventory_not_negative");
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO shop_fences (shop_id, epoch, state) VALUES (1, 1, 'OPEN')"))
                        .as("a fence is ACTIVE or FROZEN, nothing else").isInstanceOf(SQLException.class).hasMessageContaining("shop_fences_state");
            }
        } finally {
            try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password())) {
                c.createStatement().execute("DROP DATABASE " + database);
            }
        }
    }
}
