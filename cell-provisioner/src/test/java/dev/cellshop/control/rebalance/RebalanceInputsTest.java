package dev.cellshop.control.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.control.mover.GtidPosition;
import dev.cellshop.control.mover.MoveState;
import dev.cellshop.control.placement.CellUse;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Capacity;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.CellState;
import dev.cellshop.kernel.placement.Endpoints;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RebalanceInputsTest {

    private static final Endpoints ENDPOINTS = new Endpoints("127.0.0.1:3306", "redis://127.0.0.1:6379", "127.0.0.1:11211");
    private static final CellId A = CellId.of("cell-a");
    private static final CellId B = CellId.of("cell-b");
    private static final CellId C = CellId.of("cell-c");

    private static CellUse cell(CellId id, CellState state, int shops) {
        return new CellUse(new CellDescriptor(id, state, ENDPOINTS, new Capacity(10, 100), null), shops, 0);
    }

    private static MoveState moving(long shop, CellId from, CellId to) {
        return MoveState.start("move-" + shop, shop, from.value(), to.value(), "owner", GtidPosition.parse("0-1-1"));
    }

    @Test
    void a_shop_in_an_unfinished_move_counts_on_its_target_and_is_not_movable() {
        Map<ShopId, Placement> placements = Map.of(
                ShopId.of(1), new Placement(A, PlacementState.ACTIVE, 1),
                ShopId.of(2), new Placement(A, PlacementState.ACTIVE, 1),
                ShopId.of(3), new Placement(A, PlacementState.FROZEN, 2),
                ShopId.of(4), new Placement(B, PlacementState.ACTIVE, 3));

        RebalanceInputs inputs = RebalanceInputs.of(List.of(cell(A, CellState.ACTIVE, 3), cell(B, CellState.ACTIVE, 1)),
                placements, List.of(moving(2, A, B), moving(4, A, B)));

        assertThat(inputs.cells()).extracting(CellUse::shops).as("shop 2 counts on cell-b; shop 4 is there already")
                .containsExactly(2, 2);
        assertThat(inputs.movable().get(A)).as("shop 2 is moving, shop 3 is FROZEN in a cutover").containsExactly(ShopId.of(1));
        assertThat(inputs.movable().get(B)).isEmpty();
    }

    @Test
    void cells_that_are_not_active_and_their_shops_are_left_out() {
        Map<ShopId, Placement> placements = Map.of(
                ShopId.of(1), new Placement(A, PlacementState.ACTIVE, 1),
                ShopId.of(2), new Placement(C, PlacementState.ACTIVE, 1));

        RebalanceInputs inputs = RebalanceInputs.of(List.of(cell(A, CellState.ACTIVE, 1), cell(C, CellState.DRAINING, 1)),
                placements, List.of());

        assertThat(inputs.cells()).extracting(c -> c.cell().cellId()).containsExactly(A);
        assertThat(inputs.movable()).containsOnlyKeys(A);
    }
}
