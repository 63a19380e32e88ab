package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Copy + binlog catch-up of a live shop between the platform's two real cells. */
@ExtendWith(LocalPlatformExtension.class)
class ShopCopyUnderWritesIT {

    private static final int PRODUCTS = 1500;

    @Test
    void a_shop_copied_while_it_and_another_shop_take_writes_ends_equal_on_the_target_and_the_other_shop_never_arrives(
            PlatformEndpoints platform) throws Exception {
        CellMysql a = ShopRows.clone(platform, "cell-a");
        CellMysql b = ShopRows.clone(platform, "cell-b");
        long shop = ShopRows.newShopId();
        long other = ShopRows.newShopId();
        try {
            ShopRows.seed(a, shop, PRODUCTS);
            ShopRows.seed(a, other, 300);
            List<ShopTable> tables;
            try (Connection c = a.connect()) {
                tables = ShopTables.discover(c, a.database());
            }
            assertThat(tables).extracting(ShopTable::name).containsExactlyInAnyOrderElementsOf(ShopRows.MOVED_TABLES);
            GtidPosition start = BinlogStreamer.binlogPosition(a);

            try (ShopWriter writer = new ShopWriter(a, List.of(shop, other), PRODUCTS);
                 BinlogStreamer streamer = new BinlogStreamer(a, shop, tables, start, 1000);
                 ChangeApplier applier = new ChangeApplier(b, start);
                 ApplyLoop loop = new ApplyLoop(streamer, applier)) {
                streamer.start(Duration.ofSeconds(10));
                loop.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> writer.committed() > 20);
                long writesBefore = writer.committed();
                RowCopier copier = new RowCopier(a, b, shop, new RowCopier.Options(100, 3), Throttle.NEVER, RowCopier.BatchListener.NONE);

                copier.copy(tables, Map.of(), Map.of());

                assertThat(writer.committed()).as("writes while the copy ran").isGreaterThan(writesBefore + 20);
                assertThat(copier.progress().tables()).allSatisfy((table, progress) -> assertThat(progress.done()).isTrue());
                assertThat(copier.progress().copiedRows()).isGreaterThan(PRODUCTS * 4L);
                // catch up while the writes go on, then stop them and apply to the source's last transaction
                assertThat(loop.awaitApplied(BinlogStreamer.binlogPosition(a), Duration.ofSeconds(60))).isTrue();
                writer.stop();
                assertThat(loop.awaitApplied(BinlogStreamer.binlogPosition(a), Duration.ofSeconds(60))).isTrue();

                Verifier.Result result = new Verifier(a, b, shop, 250).verify(tables);

                assertThat(result.difference()).as("first differing chunk").isEmpty();
                assertThat(result.tables()).hasSize(ShopRows.MOVED_TABLES.size()).allSatisfy(sum -> assertThat(sum.rows()).isPositive());
                assertThat(applier.appliedRows()).as("shop rows changed through the binlog").isPositive();
                assertThat(ShopRows.movedRowsPerTable(b, shop)).isEqualTo(ShopRows.movedRowsPerTable(a, shop));
                assertThat(ShopRows.orderTokenHashes(b, shop)).as("orders' token hashes (V3), copied and tailed like any column")
                        .isEqualTo(ShopRows.orderTokenHashes(a, shop)).containsValue("NULL").matches(h -> h.values().stream().anyMatch(v -> v.length() == 64));
                assertThat(ShopRows.rowsPerTable(b, other)).as("rows of the other shop on the target").containsOnlyKeys(ShopRows.TABLES).allSatisfy((t, n) -> assertThat(n).isZero());
            }
        } finally {
            ShopRows.deleteShops(List.of(a, b), shop, other);
        }
    }
}
