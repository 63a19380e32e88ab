package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cutover's split verification on real shards: a pass over the live shop, a round that
 * narrows the chunks that differed and the rows the applier changed since, then the pause's
 * look at what is left and the rows changed after the round.
 */
@ExtendWith(LocalPlatformExtension.class)
class VerifierIT {

    @Test
    void the_pause_finds_a_chunk_that_still_differs_after_the_live_rounds_and_a_row_changed_since_that_differs_now(PlatformEndpoints platform)
            throws Exception {
        CellMysql a = ShopRows.clone(platform, "cell-a");
        CellMysql b = ShopRows.clone(platform, "cell-b");
        long shop = ShopRows.newShopId();
        try {
            ShopRows.seed(a, shop, 300);
            List<ShopTable> tables;
            try (Connection c = a.connect()) {
                tables = ShopTables.discover(c, a.database());
            }
            GtidPosition start = BinlogStreamer.binlogPosition(a);
            new RowCopier(a, b, shop, new RowCopier.Options(100, 1), Throttle.NEVER, (table, cursor, rows, done) -> { })
                    .copy(tables, Map.of(), Map.of());
            Verifier verifier = new Verifier(a, b, shop, 50);
            try (BinlogStreamer streamer = new BinlogStreamer(a, shop, tables, start, 1000);
                 ChangeApplier applier = new ChangeApplier(b, start);
                 ApplyLoop loop = new ApplyLoop(streamer, applier)) {
                ChangedKeys changed = applier.trackChanges(1000);
                streamer.start(Duration.ofSeconds(10));
                loop.start();
                try (Connection c = b.connect()) { // a row the applier never wrote, different on the target
                    ShopRows.exec(c, "UPDATE products SET title = 'changed behind the mover', updated_at = updated_at WHERE shop_id = ? AND id = 7", shop);
                }

                Verifier.Live live = verifier.verifyLive(tables, 100);

                assertThat(live.complete()).isTrue();
                assertThat(live.differing()).singleElement().satisfies(chunk -> assertThat(chunk.table().name()).isEqualTo("products"));
                assertThat(live.tables().stream().mapToLong(Verifier.TableSum::rows).sum()).isEqualTo(ShopRows.movedRows(a, shop));
                try (Connection c = a.connect()) { // the shop goes on taking writes: they reach the target through the binlog
                    ShopRows.exec(c, "UPDATE variants SET inventory = inventory - 1 WHERE shop_id = ? AND id IN (31, 40)", shop);
                }
                assertThat(loop.awaitApplied(BinlogStreamer.binlogPosition(a), Duration.ofSeconds(20))).isTrue();
                ChangedKeys.Since sinceStart = changed.since(0);
                assertThat(sinceStart.keys().values()).singleElement().satisfies(keys -> assertThat(keys).hasSize(2));

                // a round while live: the changed rows are equal now and drop out; the chunk still differs
                Verifier.Suspects narrowed = verifier.narrow(new Verifier.Suspects(live.differing(), Map.of()).plus(sinceStart.keys()));
                assertThat(narrowed.chunks()).singleElement().satisfies(chunk -> assertThat(chunk.table().name()).isEqualTo("products"));
                assertThat(narrowed.keyCount()).isZero();
                assertThat(verifier.confirm(live.tables(), narrowed).difference())
                        .hasValueSatisfying(d -> assertThat(d.table()).isEqualTo("products"));

                // the chunk is put right (its update time kept); a row changed after the round is then
                // spoiled on the target, as an applier bug would: the pause's look at the changes since finds it
                try (Connection c = b.connect()) {
                    ShopRows.exec(c, "UPDATE products SET title = 'Product 7 — naïve café 🚀', updated_at = updated_at WHERE shop_id = ? AND id = 7", shop);
                }
                try (Connection c = a.connect()) {
                    ShopRows.exec(c, "UPDATE variants SET inventory = inventory - 1 WHERE shop_id = ? AND id = 40", shop);
                }
                assertThat(loop.awaitApplied(BinlogStreamer.binlogPosition(a), Duration.ofSeconds(20))).isTrue();
                try (Connection c = b.connect()) {
                    ShopRows.exec(c, "UPDATE variants SET inventory = 99, updated_at = updated_at WHERE shop_id = ? AND id = 40", shop);
                }
                Verifier.Suspects inThePause = narrowed.plus(changed.since(sinceStart.mark()).keys());
                assertThat(inThePause.keyCount()).as("only the row changed since the round").isEqualTo(1);
                assertThat(verifier.confirm(live.tables(), inThePause).difference()).hasValueSatisfying(d -> {
                    assertThat(d.table()).isEqualTo("variants");
                    assertThat(d.rows()).isEqualTo("key [" + shop + ", 40]");
                });

                try (Connection c = b.connect()) {
                    ShopRows.exec(c, "UPDATE variants SET inventory = 48, updated_at = updated_at WHERE shop_id = ? AND id = 40", shop);
                }
                assertThat(verifier.confirm(live.tables(), inThePause).equal()).isTrue();
                assertThat(verifier.verify(tables).equal()).as("the whole shop agrees with the confirmation").isTrue();
            }
        } finally {
            ShopRows.deleteShops(List.of(a, b), shop);
        }
    }
}
