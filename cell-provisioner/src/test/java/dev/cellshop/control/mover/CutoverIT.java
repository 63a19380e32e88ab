package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.shopstate.ShopStateKeys;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cutover of a caught-up move on the real platform: the runtimes of cell-a see the shop's
 * placement (at the real root), so the freeze reaches their fence and the barrier asks them.
 */
@ExtendWith(LocalPlatformExtension.class)
class CutoverIT {

    private static final CellId A = CellId.of("cell-a");
    private static final CellId B = CellId.of("cell-b");

    private final long shop = ShopRows.newShopId();
    private final ShopId shopId = ShopId.of(shop);
    private PlatformEndpoints platform;
    private ZooKeeperMoves moves;
    private CuratorFramework curator;
    private Vertx vertx;
    private CellMysql a;
    private CellMysql b;

    @BeforeEach
    void setUp(PlatformEndpoints platform) throws Exception {
        this.platform = platform;
        moves = new ZooKeeperMoves(platform);
        curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5));
        curator.start();
        vertx = Vertx.vertx();
        a = ShopRows.cell(platform, "cell-a");
        b = ShopRows.cell(platform, "cell-b");
        curator.create().creatingParentsIfNeeded().forPath(TopologyPaths.DEFAULT.shop(shopId), Json.writeBytes(Placement.initial(A)));
    }

    @AfterEach
    void tearDown() throws Exception {
        ShopRows.deleteShops(List.of(a, b), shop);
        CartCarrier carts = new CartCarrier(vertx, Duration.ofSeconds(10));
        carts.deleteAll(shopId, platform.cell("cell-a").redis());
        carts.deleteAll(shopId, platform.cell("cell-b").redis());
        curator.delete().quietly().forPath(TopologyPaths.DEFAULT.shop(shopId));
        curator.close();
        moves.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void a_caught_up_move_switches_with_equal_rows_its_carts_carried_and_the_pause_recorded() throws Exception {
        ShopRows.seed(a, shop, 300);
        RedisAPI sourceRedis = RedisAPI.api(Redis.createClient(vertx, platform.cell("cell-a").redis()));
        sourceRedis.hset(List.of(ShopStateKeys.cart(shopId, "before-the-move"), "v:1", "2")).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        CheckpointStore.Owned move = caughtUp();

        MoveState done = cutover(move).run();

        assertThat(done.abortReason()).isNull();
        assertThat(done.phase()).isEqualTo(MovePhase.SWITCHED);
        assertThat(done.cutover().frozenEpoch()).isEqualTo(2);
        assertThat(done.cutover().switchedEpoch()).isEqualTo(3);
        assertThat(done.cutover().pauseMillis()).isPositive().isLessThan(30_000);
        assertThat(done.cutover().tablesVerified()).isEqualTo(ShopRows.MOVED_TABLES.size());
        assertThat(done.cutover().rowsVerified()).isEqualTo(ShopRows.movedRows(a, shop));
        assertThat(done.cutover().cartsCarried()).isEqualTo(1);
        assertThat(placement()).isEqualTo(new Placement(B, PlacementState.ACTIVE, 3));
        assertThat(ShopRows.movedRows(b, shop)).isEqualTo(ShopRows.movedRows(a, shop));
        RedisAPI targetRedis = RedisAPI.api(Redis.createClient(vertx, platform.cell("cell-b").redis()));
        assertThat(targetRedis.hget(ShopStateKeys.cart(shopId, "before-the-move"), "v:1").toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).toInteger()).isEqualTo(2);
        assertThat(Json.write(moves.store.load(done.moveId()).orElseThrow().state())).isEqualTo(Json.write(done));

        assertThat(cutover(move).run()).as("a decided move is left as it is").isEqualTo(done);
        // resumed after the switch by another runner, as if the first died before saving it: it only records it
        CheckpointStore.Owned resumed = moves.store.claim(moves.store.load(done.moveId()).orElseThrow(), "runner-2");
        resumed.update(s -> s.withPhase(MovePhase.CUTTING_OVER));
        MoveState recorded = cutover(resumed).run();
        assertThat(recorded.phase()).isEqualTo(MovePhase.SWITCHED);
        assertThat(recorded.cutover().switchedEpoch()).isEqualTo(3);
        assertThat(placement()).as("no second switch").isEqualTo(new Placement(B, PlacementState.ACTIVE, 3));
    }

    @Test
    void a_target_that_differs_from_the_source_fails_verification_and_the_shop_goes_back_active_on_the_source() throws Exception {
        ShopRows.seed(a, shop, 50);
        CheckpointStore.Owned move = caughtUp();
        try (Connection c = b.connect()) {
            ShopRows.exec(c, "UPDATE products SET title = 'changed behind the mover' WHERE shop_id = ? ORDER BY id LIMIT 1", shop);
        }

        MoveState aborted = cutover(move).run();

        assertThat(aborted.phase()).isEqualTo(MovePhase.ABORTED);
        assertThat(aborted.abortReason()).startsWith("verification failed").contains("products");
        assertThat(placement()).isEqualTo(new Placement(A, PlacementState.ACTIVE, 3));
    }

    @Test
    void a_whole_move_ends_with_the_shop_on_the_target_only_and_an_aborted_one_leaves_nothing_on_the_target() throws Exception {
        ShopRows.seed(a, shop, 120); // its outbox rows are published (and deleted) by cell-a's relay meanwhile
        CheckpointStore.Owned move = moves.store.create(MoveState.start("move-" + shop, shop, "cell-a", "cell-b", "runner-1",
                BinlogStreamer.binlogPosition(a)));

        MoveState completed = shopMove(move).run();

        assertThat(completed.phase()).as(String.valueOf(completed.abortReason())).isEqualTo(MovePhase.COMPLETED);
        assertThat(placement()).isEqualTo(new Placement(B, PlacementState.ACTIVE, 3));
        long seeded = completed.cutover().rowsVerified();
        assertThat(seeded).isGreaterThan(600);
        assertThat(ShopRows.movedRows(b, shop)).isEqualTo(seeded);
        assertThat(ShopRows.movedRows(a, shop)).as("the source's copy, removed in batches").isZero();

        // an aborted move back to cell-a: its partial copy on cell-a goes, the shop stays whole on cell-b
        CheckpointStore.Owned back = moves.store.create(MoveState.start("back-" + shop, shop, "cell-b", "cell-a", "runner-1",
                BinlogStreamer.binlogPosition(b)));
        ShopRows.seed(a, shop, 10); // as if copied before the abort
        back.update(s -> s.aborted("operator abort"));
        assertThat(shopMove(back, b, a).run().phase()).isEqualTo(MovePhase.ABORTED);
        assertThat(ShopRows.movedRows(a, shop)).isZero();
        assertThat(ShopRows.movedRows(b, shop)).isEqualTo(seeded);

        // a checkpoint that claims the switch while the shop is still served from its source removes nothing
        CheckpointStore.Owned confused = moves.store.create(MoveState.start("confused-" + shop, shop, "cell-b", "cell-a", "runner-1",
                BinlogStreamer.binlogPosition(b)));
        confused.update(s -> s.withPhase(MovePhase.SWITCHED));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> shopMove(confused, b, a).run())
                .hasMessageContaining("placed on the move's source cell-b");
        assertThat(ShopRows.movedRows(b, shop)).isEqualTo(seeded);
    }

    private ShopMove shopMove(CheckpointStore.Owned move) throws Exception {
        return shopMove(move, a, b);
    }

    private ShopMove shopMove(CheckpointStore.Owned move, CellMysql from, CellMysql to) throws Exception {
        String fromRedis = platform.cell(from == a ? "cell-a" : "cell-b").redis();
        Cutover cut = cutover(move);
        return new ShopMove(from, to, move, new MoveRunner.Settings(new RowCopier.Options(100, 2), 0, Duration.ofSeconds(60), 1000),
                () -> cut, new PlacementSwitch(curator, TopologyPaths.DEFAULT, new AuditLog(curator, TopologyPaths.DEFAULT), "cutover-it"),
                new ShopEraser.Factory(50, Duration.ZERO), new CartCarrier(vertx, Duration.ofSeconds(10)), fromRedis);
    }

    private CheckpointStore.Owned caughtUp() throws Exception {
        CheckpointStore.Owned move = moves.store.create(MoveState.start("move-" + shop, shop, "cell-a", "cell-b", "runner-1",
                BinlogStreamer.binlogPosition(a)));
        MoveState state = new MoveRunner(a, b, move, new MoveRunner.Settings(new RowCopier.Options(100, 2), 0, Duration.ofSeconds(60), 1000)).run();
        assertThat(state.phase()).as(String.valueOf(state.abortReason())).isEqualTo(MovePhase.CAUGHT_UP);
        return move;
    }

    private Cutover cutover(CheckpointStore.Owned move) throws Exception {
        AuditLog audit = new AuditLog(curator, TopologyPaths.DEFAULT);
        audit.ensureCreated();
        RequestSignature signature = new RequestSignature(platform.signingSecret().getBytes(StandardCharsets.UTF_8));
        return new Cutover(
                new Cutover.CellStores(a, platform.cell("cell-a").redis(), platform.cell("cell-a").memcached()),
                new Cutover.CellStores(b, platform.cell("cell-b").redis(), platform.cell("cell-b").memcached()),
                move,
                new PlacementSwitch(curator, TopologyPaths.DEFAULT, audit, "cutover-it"),
                new SourceQuiescence(curator, TopologyPaths.DEFAULT, signature, Duration.ofSeconds(10), Duration.ofMillis(20)),
                new OutboxDrain(Duration.ofSeconds(10), Duration.ofMillis(20)),
                new CartCarrier(vertx, Duration.ofSeconds(10)),
                new CacheNamespace(Duration.ofSeconds(5)),
                new Cutover.Settings(Duration.ofSeconds(20), 200, 1000, 10_000));
    }

    private Placement placement() throws Exception {
        return Json.read(curator.getData().forPath(TopologyPaths.DEFAULT.shop(shopId)), Placement.class);
    }
}
