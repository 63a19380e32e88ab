package dev.cellshop.control.mover;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import java.sql.Connection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole move from its checkpoint on: {@link MoveRunner} to CAUGHT_UP, {@link Cutover} to
 * SWITCHED, then the source's copy removed (rows in small batches, carts) to COMPLETED; or,
 * on an abort at any point before the switch, the target's partial copy removed. Run it
 * again on a checkpoint in any phase (a killed mover, another process) and it goes on from
 * there: every step is idempotent.
 *
 * <p>Each removal first checks the placement, so a copy the shop is served from is never
 * removed, whatever the checkpoint says.
 */
public final class ShopMove {

    private static final Logger LOG = LoggerFactory.getLogger(ShopMove.class);

    private final CellMysql source;
    private final CellMysql target;
    private final CheckpointStore.Owned move;
    private final MoveRunner.Settings runner;
    private final Supplier<Cutover> cutover;
    private final PlacementSwitch placements;
    private final ShopEraser.Factory erasers;
    private final CartCarrier carts;
    private final String sourceRedis;

    public ShopMove(CellMysql source, CellMysql target, CheckpointStore.Owned move, MoveRunner.Settings runner, Supplier<Cutover> cutover,
                    PlacementSwitch placements, ShopEraser.Factory erasers, CartCarrier carts, String sourceRedis) {
        this.source = source;
        this.target = target;
        this.move = move;
        this.runner = runner;
        this.cutover = cutover;
        this.placements = placements;
        this.erasers = erasers;
        this.carts = carts;
        this.sourceRedis = sourceRedis;
    }

    public MoveState run() throws Exception {
        MoveState state = move.state();
        if (state.phase() == MovePhase.COPYING || state.phase() == MovePhase.CATCHING_UP) {
            state = new MoveRunner(source, target, move, runner).run();
        }
        if (state.phase() == MovePhase.CAUGHT_UP || state.phase() == MovePhase.CUTTING_OVER) {
            state = cutover.get().run();
        }
        ShopId shop = ShopId.of(state.shopId());
        Placement placed = placements.read(shop).placement();
        if (state.phase() == MovePhase.SWITCHED) {
            requireNotServedFrom(placed, CellId.of(state.sourceCell()), shop, "source");
            long rows = erasers.on(source).erase(state.shopId(), tables());
            int removedCarts = carts.deleteAll(shop, sourceRedis);
            LOG.info("event=move_completed move={} shop={} source_rows_removed={} source_carts_removed={}", state.moveId(), shop, rows,
                    removedCarts);
            state = move.update(s -> s.withPhase(MovePhase.COMPLETED));
        } else if (state.phase() == MovePhase.ABORTED) {
            requireNotServedFrom(placed, CellId.of(state.targetCell()), shop, "target");
            long rows = erasers.on(target).erase(state.shopId(), tables());
            LOG.info("event=move_target_cleaned move={} shop={} target_rows_removed={}", state.moveId(), shop, rows);
        }
        return state;
    }

    private List<ShopTable> tables() throws Exception {
        try (Connection c = source.connect()) {
            return ShopTables.discover(c, source.database());
        }
    }

    private static void requireNotServedFrom(Placement placed, CellId cell, ShopId shop, String role) {
        if (placed.cellId().equals(cell)) {
            throw new IllegalStateException("shop " + shop + " is placed on the move's " + role + " " + cell + " (" + placed
                    + "): its rows there are not removed");
        }
    }
}
