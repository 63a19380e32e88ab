package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.kernel.json.Json;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The move up to the cutover, as one runner drives it from its ZooKeeper checkpoint. */
@ExtendWith(LocalPlatformExtension.class)
class MoveRunnerIT {

    private ZooKeeperMoves zooKeeper;
    private CheckpointStore store;
    private CellMysql a;
    private CellMysql b;
    private final long shop = ShopRows.newShopId();
    private final long other = ShopRows.newShopId();

    @BeforeEach
    void setUp(PlatformEndpoints platform) throws Exception {
        zooKeeper = new ZooKeeperMoves(platform);
        store = zooKeeper.store;
        a = ShopRows.clone(platform, "cell-a");
        b = ShopRows.clone(platform, "cell-b");
    }

    @AfterEach
    void tearDown() throws Exception {
        ShopRows.deleteShops(List.of(a, b), shop, other);
        zooKeeper.close();
    }

    @Test
    void a_move_under_writes_catches_up_and_a_second_runner_resumes_it_from_the_checkpoint_to_equal_rows() throws Exception {
        ShopRows.seed(a, shop, 800);
        ShopRows.seed(a, other, 200);
        CheckpointStore.Owned first = store.create(MoveState.start("move-" + shop, shop, "cell-a", "cell-b", "runner-1",
                BinlogStreamer.binlogPosition(a)));
        MoveState caughtUp;
        try (ShopWriter writer = new ShopWriter(a, List.of(shop, other), 800)) {
            caughtUp = new MoveRunner(a, b, first, settings(200, Duration.ofSeconds(60))).run();
            assertThat(writer.committed()).as("writes during the run").isPositive();
        }

        assertThat(caughtUp.abortReason()).isNull();
        assertThat(caughtUp.phase()).isEqualTo(MovePhase.CAUGHT_UP);
        assertThat(caughtUp.tables()).containsOnlyKeys(ShopRows.MOVED_TABLES).allSatisfy((table, checkpoint) -> {
            assertThat(checkpoint.done()).isTrue();
            assertThat(checkpoint.copied()).isLessThanOrEqualTo(checkpoint.estimated());
        });
        assertThat(caughtUp.tables().get("variants").copied()).isGreaterThanOrEqualTo(1500);
        assertThat(Json.write(store.load(caughtUp.moveId()).orElseThrow().state())).as("the saved checkpoint").isEqualTo(Json.write(caughtUp));

        CheckpointStore.Owned second = store.claim(store.load(caughtUp.moveId()).orElseThrow(), "runner-2");
        MoveState resumed = new MoveRunner(a, b, second, settings(0, Duration.ofSeconds(60))).run();

        assertThat(resumed.phase()).isEqualTo(MovePhase.CAUGHT_UP);
        assertThat(resumed.owner()).isEqualTo("runner-2");
        assertThat(GtidPosition.parse(resumed.appliedGtid()).reached(BinlogStreamer.binlogPosition(a))).isTrue();
        try (Connection c = a.connect()) {
            assertThat(new Verifier(a, b, shop, 200).verify(ShopTables.discover(c, a.database())).difference()).isEmpty();
        }
        assertThat(ShopRows.rowsPerTable(b, other)).as("rows of the other shop on the target").containsOnlyKeys(ShopRows.TABLES).allSatisfy((t, n) -> assertThat(n).isZero());
    }

    @Test
    void a_catch_up_that_cannot_keep_up_with_the_shops_writes_aborts_with_that_reason_instead_of_looping() throws Exception {
        ShopRows.seed(a, shop, 2000);
        CheckpointStore.Owned move = store.create(MoveState.start("move-" + shop, shop, "cell-a", "cell-b", "runner-1",
                BinlogStreamer.binlogPosition(a)));
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        // each transaction changes 2,000 rows in one statement on the source; the applier replays them row by row
        Thread bulkWriter = Thread.ofPlatform().daemon().start(() -> {
            try (Connection c = a.connect()) {
                while (!Thread.currentThread().isInterrupted()) {
                    ShopRows.exec(c, "UPDATE products SET title = CONCAT('bulk ', id, ' ', RAND()) WHERE shop_id = ?", shop);
                }
            } catch (Throwable t) {
                if (!Thread.currentThread().isInterrupted()) {
                    writerFailure.set(t);
                }
            }
        });
        MoveState aborted;
        try {
            aborted = new MoveRunner(a, b, move, settings(0, Duration.ofSeconds(5))).run();
        } finally {
            bulkWriter.interrupt();
            bulkWriter.join();
        }

        assertThat(writerFailure.get()).isNull();
        assertThat(aborted.phase()).isEqualTo(MovePhase.ABORTED);
        assertThat(aborted.abortReason()).startsWith("catch-up did not converge: still").contains("after 5 s");
        assertThat(store.load(aborted.moveId()).orElseThrow().state().phase()).isEqualTo(MovePhase.ABORTED);
    }

    private static MoveRunner.Settings settings(long maxLag, Duration catchUpTimeout) {
        return new MoveRunner.Settings(new RowCopier.Options(100, 3), maxLag, catchUpTimeout, 1000);
    }
}
