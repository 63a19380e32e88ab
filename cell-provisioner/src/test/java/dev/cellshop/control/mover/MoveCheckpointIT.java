package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A move's checkpoint in ZooKeeper: a resumed copy completes equal, and only one mover owns a move. */
@ExtendWith(LocalPlatformExtension.class)
class MoveCheckpointIT {

    private ZooKeeperMoves zooKeeper;
    private CheckpointStore store;

    @BeforeEach
    void zookeeper(PlatformEndpoints platform) throws InterruptedException {
        zooKeeper = new ZooKeeperMoves(platform);
        store = zooKeeper.store;
    }

    @AfterEach
    void close() {
        zooKeeper.close();
    }

    @Test
    void a_copy_killed_mid_table_resumes_from_its_saved_cursors_and_ends_equal_with_the_changes_made_meanwhile(PlatformEndpoints platform)
            throws Exception {
        CellMysql a = ShopRows.clone(platform, "cell-a");
        CellMysql b = ShopRows.clone(platform, "cell-b");
        long shop = ShopRows.newShopId();
        try {
            ShopRows.seed(a, shop, 600);
            List<ShopTable> tables;
            try (Connection c = a.connect()) {
                tables = ShopTables.discover(c, a.database());
            }
            GtidPosition start = BinlogStreamer.binlogPosition(a);
            CheckpointStore.Owned first = store.create(MoveState.start("move-" + shop, shop, "cell-a", "cell-b", "mover-1", start));
            AtomicInteger variantBatches = new AtomicInteger();
            RowCopier killed = new RowCopier(a, b, shop, new RowCopier.Options(50, 1), Throttle.NEVER, (table, cursor, rows, done) -> {
                first.update(s -> s.withTable(table.name(), new MoveState.TableCheckpoint(cursor.toJson(), rows, 0, done)));
                if (table.name().equals("variants") && variantBatches.incrementAndGet() == 4) {
                    throw new IllegalStateException("mover killed");
                }
            });
            assertThatThrownBy(() -> killed.copy(tables, Map.of(), Map.of())).hasMessage("mover killed");
            // changes behind and ahead of the saved cursor while no mover runs
            try (Connection c = a.connect()) {
                ShopRows.exec(c, "UPDATE variants SET inventory = 1 WHERE shop_id = ? AND id IN (-50, 1, 5000)", shop);
                ShopRows.exec(c, "DELETE FROM variants WHERE shop_id = ? AND id IN (0, 4001)", shop);
                ShopRows.exec(c, "INSERT INTO variants (shop_id, id, product_id, sku, price_amount, currency, inventory) VALUES (?, -100, 1, 'neg', 1, 'EUR', 1)", shop);
            }

            CheckpointStore.Owned second = store.claim(store.load("move-" + shop).orElseThrow(), "mover-2");
            MoveState saved = second.state();
            assertThat(saved.tables().get("variants").done()).isFalse();
            Map<String, KeyCursor> cursors = new HashMap<>();
            List<ShopTable> remaining = tables.stream().filter(t -> {
                MoveState.TableCheckpoint checkpoint = saved.tables().get(t.name());
                if (checkpoint != null) {
                    cursors.put(t.name(), KeyCursor.fromJson(t, checkpoint.cursor()));
                }
                return checkpoint == null || !checkpoint.done();
            }).toList();
            assertThat(remaining).extracting(ShopTable::name).contains("variants").doesNotContain("idempotency_keys");
            GtidPosition resumeAt = GtidPosition.parse(saved.appliedGtid());
            try (BinlogStreamer streamer = new BinlogStreamer(a, shop, tables, resumeAt, 1000);
                 ChangeApplier applier = new ChangeApplier(b, resumeAt);
                 ApplyLoop loop = new ApplyLoop(streamer, applier)) {
                streamer.start(Duration.ofSeconds(10));
                loop.start();
                new RowCopier(a, b, shop, new RowCopier.Options(50, 2), Throttle.NEVER, (table, cursor, rows, done) ->
                        second.update(s -> s.withTable(table.name(), new MoveState.TableCheckpoint(cursor.toJson(), rows, 0, done))))
                        .copy(remaining, cursors, Map.of());
                assertThat(loop.awaitApplied(BinlogStreamer.binlogPosition(a), Duration.ofSeconds(60))).isTrue();
                second.update(s -> s.withApplied(loop.applied(), applier.appliedTransactions()));
            }

            assertThat(new Verifier(a, b, shop, 100).verify(tables).difference()).isEmpty();
            assertThat(ShopRows.movedRowsPerTable(b, shop)).isEqualTo(ShopRows.movedRowsPerTable(a, shop));
            assertThat(store.load("move-" + shop).orElseThrow().state().appliedGtid()).isNotEqualTo(start.toString());
            assertThatThrownBy(() -> first.update(s -> s.withPhase(MovePhase.ABORTED)))
                    .as("the killed mover's late write").isInstanceOf(CheckpointStore.OwnershipLost.class);
        } finally {
            ShopRows.deleteShops(List.of(a, b), shop);
        }
    }

    @Test
    void of_two_movers_claiming_the_same_move_only_one_owns_it() throws Exception {
        store.create(MoveState.start("move-race", 5, "cell-a", "cell-b", "mover-0", GtidPosition.parse("0-100-1")));
        CheckpointStore.Versioned read = store.load("move-race").orElseThrow();

        CheckpointStore.Owned winner = store.claim(read, "mover-1");

        assertThatThrownBy(() -> store.claim(read, "mover-2")).isInstanceOf(CheckpointStore.OwnershipLost.class)
                .hasMessageContaining("mover-2");
        winner.update(s -> s.withPhase(MovePhase.CATCHING_UP));
        MoveState stored = store.load("move-race").orElseThrow().state();
        assertThat(stored.owner()).isEqualTo("mover-1");
        assertThat(stored.phase()).isEqualTo(MovePhase.CATCHING_UP);
        assertThatThrownBy(() -> store.create(MoveState.start("move-race", 5, "cell-a", "cell-b", "mover-3", GtidPosition.EMPTY)))
                .hasMessageContaining("already exists");
    }
}
