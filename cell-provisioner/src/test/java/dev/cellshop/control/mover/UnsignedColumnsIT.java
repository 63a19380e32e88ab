package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Unsigned integer columns through copy, binlog and verification: the binlog carries them
 * signed, so values past the signed range (and a BIGINT UNSIGNED key past 2^63, which the
 * copy's cursor passes) must arrive as the source has them.
 */
@ExtendWith(LocalPlatformExtension.class)
class UnsignedColumnsIT {

    private static final String SCHEMA = "mover_unsigned_it";
    private static final String TABLE = "CREATE TABLE " + SCHEMA + ".counters (shop_id BIGINT NOT NULL, id BIGINT UNSIGNED NOT NULL,"
            + " tiny TINYINT UNSIGNED, small SMALLINT UNSIGNED, mid MEDIUMINT UNSIGNED, n INT UNSIGNED, big BIGINT UNSIGNED,"
            + " PRIMARY KEY (shop_id, id))";

    @Test
    void values_past_the_signed_range_are_copied_applied_and_verified_equal(PlatformEndpoints platform) throws Exception {
        CellMysql a = schema(ShopRows.cell(platform, "cell-a"));
        CellMysql b = schema(ShopRows.cell(platform, "cell-b"));
        long shop = ShopRows.newShopId();
        List<ShopTable> tables;
        try (Connection c = a.connect()) {
            tables = ShopTables.discover(c, SCHEMA);
        }
        assertThat(tables).singleElement().satisfies(t -> assertThat(t.column("big").unsigned()).isTrue());
        exec(a, "INSERT INTO counters VALUES (" + shop + ", 1, 1, 1, 1, 1, 1), (" + shop + ", 9223372036854775808, 200, 60000, 16000000,"
                + " 4000000000, 18000000000000000000), (" + shop + ", 18446744073709551615, 255, 65535, 16777215, 4294967295,"
                + " 18446744073709551615)");
        GtidPosition start = BinlogStreamer.binlogPosition(a);

        new RowCopier(a, b, shop, new RowCopier.Options(1, 1), Throttle.NEVER, RowCopier.BatchListener.NONE).copy(tables, Map.of(), Map.of());
        assertThat(rows(b, shop)).as("copied in batches of one row, past the 2^63 key").hasSize(3);

        try (BinlogStreamer streamer = new BinlogStreamer(a, shop, tables, start, 100);
             ChangeApplier applier = new ChangeApplier(b, start);
             ApplyLoop loop = new ApplyLoop(streamer, applier)) {
            streamer.start(Duration.ofSeconds(10));
            loop.start();
            exec(a, "UPDATE counters SET tiny = 254, small = 65534, mid = 16777214, n = 4294967294, big = 18446744073709551614"
                    + " WHERE shop_id = " + shop + " AND id = 1");
            exec(a, "INSERT INTO counters VALUES (" + shop + ", 18446744073709551614, 128, 32768, 8388608, 2147483648, 9223372036854775808)");
            exec(a, "DELETE FROM counters WHERE shop_id = " + shop + " AND id = 9223372036854775808");
            assertThat(loop.awaitApplied(BinlogStreamer.binlogPosition(a), Duration.ofSeconds(30))).isTrue();
        }

        assertThat(rows(b, shop)).isEqualTo(rows(a, shop)).containsExactly(
                "1 254 65534 16777214 4294967294 18446744073709551614",
                "18446744073709551614 128 32768 8388608 2147483648 9223372036854775808",
                "18446744073709551615 255 65535 16777215 4294967295 18446744073709551615");
        assertThat(new Verifier(a, b, shop, 1).verify(tables).equal()).isTrue();
    }

    /** A private schema with one table of unsigned columns on the cell's MySQL, made anew. */
    private static CellMysql schema(CellMysql shard) throws Exception {
        try (Connection c = shard.connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + SCHEMA);
            s.execute("CREATE DATABASE " + SCHEMA);
            s.execute(TABLE);
        }
        return new CellMysql(shard.host(), shard.port(), SCHEMA, shard.user(), shard.password());
    }

    private static void exec(CellMysql cell, String sql) throws Exception {
        try (Connection c = cell.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> rows(CellMysql cell, long shop) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = cell.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CONCAT_WS(' ', id, tiny, small, mid, n, big) FROM counters WHERE shop_id = " + shop
                     + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
