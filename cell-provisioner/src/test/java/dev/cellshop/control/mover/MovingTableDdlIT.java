package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Schema changes the mover cannot carry, on a schema of its own on both cells (the shard's own tables stay untouched). */
@ExtendWith(LocalPlatformExtension.class)
class MovingTableDdlIT {

    private static final String SCHEMA = "mover_ddl_it";
    private static final long SHOP = 77;

    private CellMysql a;
    private CellMysql b;

    @BeforeEach
    void schemas(PlatformEndpoints platform) throws SQLException {
        a = inSchema(ShopRows.cell(platform, "cell-a"));
        b = inSchema(ShopRows.cell(platform, "cell-b"));
        for (CellMysql cell : List.of(ShopRows.cell(platform, "cell-a"), ShopRows.cell(platform, "cell-b"))) {
            sql(cell, "DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA);
        }
        for (CellMysql cell : List.of(a, b)) {
            sql(cell, "CREATE TABLE items (shop_id BIGINT NOT NULL, id BIGINT NOT NULL, note VARCHAR(20), PRIMARY KEY (shop_id, id))");
        }
    }

    @AfterEach
    void dropSchemas(PlatformEndpoints platform) throws SQLException {
        for (CellMysql cell : List.of(ShopRows.cell(platform, "cell-a"), ShopRows.cell(platform, "cell-b"))) {
            sql(cell, "DROP DATABASE IF EXISTS " + SCHEMA);
        }
    }

    @Test
    void an_alter_on_a_moving_table_mid_stream_aborts_the_move_naming_the_table_after_applying_what_came_before() throws Exception {
        List<ShopTable> tables;
        try (Connection c = a.connect()) {
            tables = ShopTables.discover(c, SCHEMA);
        }
        GtidPosition start = BinlogStreamer.binlogPosition(a);
        try (BinlogStreamer streamer = new BinlogStreamer(a, SHOP, tables, start, 100);
             ChangeApplier applier = new ChangeApplier(b, start);
             ApplyLoop loop = new ApplyLoop(streamer, applier)) {
            streamer.start(Duration.ofSeconds(10));
            loop.start();

            sql(a, "INSERT INTO items VALUES (77, 1, 'before'), (77, 2, 'before'), (78, 1, 'other shop')",
                    "ALTER TABLE items ADD COLUMN extra INT NULL",
                    "INSERT INTO items VALUES (77, 3, 'after', 5)");

            await().atMost(Duration.ofSeconds(30)).until(() -> loop.abortReason().isPresent());
            assertThat(loop.abortReason().orElseThrow()).contains("DDL on moving table items").contains("ALTER TABLE items");
            assertThat(count(b, "SELECT COUNT(*) FROM items WHERE shop_id = 77")).as("rows applied before the DDL").isEqualTo(2);
            assertThat(count(b, "SELECT COUNT(*) FROM items WHERE shop_id = 78")).isZero();
            assertThatThrownBy(() -> loop.awaitApplied(BinlogStreamer.binlogPosition(a), Duration.ofSeconds(5)))
                    .isInstanceOf(MoveAbort.class).hasMessageContaining("items");
        }
    }

    @Test
    void a_shop_table_whose_primary_key_does_not_lead_with_shop_id_refuses_the_move_up_front() throws Exception {
        sql(a, "CREATE TABLE audit_trail (id BIGINT NOT NULL PRIMARY KEY, shop_id BIGINT NOT NULL)");

        try (Connection c = a.connect()) {
            assertThatThrownBy(() -> ShopTables.discover(c, SCHEMA)).isInstanceOf(MoveAbort.class)
                    .hasMessageContaining("audit_trail").hasMessageContaining("does not lead with shop_id");
        }
    }

    private static CellMysql inSchema(CellMysql cell) {
        return new CellMysql(cell.host(), cell.port(), SCHEMA, cell.user(), cell.password());
    }

    private static void sql(CellMysql cell, String... statements) throws SQLException {
        try (Connection c = cell.connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static long count(CellMysql cell, String query) throws SQLException {
        try (Connection c = cell.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
