package dev.cellshop.control.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The control plane's path to a cell's shard: MySQL Connector/J over TCP, client-side prepared statements (vtgate-safe). */
@ExtendWith(LocalPlatformExtension.class)
class CellMysqlJdbcIT {

    @ParameterizedTest
    @ValueSource(strings = {"cell-a", "cell-b"})
    void a_table_is_created_written_and_read_with_connector_j(String cellId, PlatformEndpoints platform) throws Exception {
        PlatformEndpoints.Mysql mysql = platform.cell(cellId).mysql().withDatabase("scratch");
        long id = System.nanoTime();
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password())) {
            try (Statement ddl = c.createStatement()) {
                ddl.execute("CREATE TABLE IF NOT EXISTS it_jdbc_probe (shop_id BIGINT NOT NULL, id BIGINT NOT NULL,"
                        + " sku VARCHAR(64) NOT NULL, PRIMARY KEY (shop_id, id))");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO it_jdbc_probe VALUES (?, ?, ?)")) {
                insert.setLong(1, 9);
                insert.setLong(2, id);
                insert.setString(3, "'; DROP TABLE it_jdbc_probe; --");
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement select = c.prepareStatement("SELECT sku FROM it_jdbc_probe WHERE shop_id = ? AND id = ?")) {
                select.setLong(1, 9);
                select.setLong(2, id);
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("'; DROP TABLE it_jdbc_probe; --");
                }
            }
        }
    }
}
