package dev.cellshop.control.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.Capacity;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.CellState;
import dev.cellshop.kernel.placement.Endpoints;
import dev.cellshop.kernel.problem.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellChooserTest {

    private static final Endpoints ENDPOINTS = new Endpoints("127.0.0.1:3306", "redis://127.0.0.1:6379", "127.0.0.1:11211");
    private final CellChooser byShops = new CellChooser(new PlacementWeights(100, 0));

    private static CellUse cell(String id, CellState state, int shops, int maxShops, double load) {
        return new CellUse(new CellDescriptor(CellId.of(id), state, ENDPOINTS, new Capacity(maxShops, 100), null), shops, load);
    }

    @Test
    void the_active_cell_with_the_most_headroom_takes_the_shop_not_the_one_with_the_fewest_shops() {
        CellUse small = cell("cell-a", CellState.ACTIVE, 5, 10, 0);
        CellUse big = cell("cell-b", CellState.ACTIVE, 50, 1000, 0);

        assertThat(byShops.choose(List.of(small, big))).isEqualTo(big);
    }

    @Test
    void cells_that_are_not_active_never_take_new_shops_however_empty() {
        CellUse draining = cell("cell-a", CellState.DRAINING, 0, 100, 0);
        CellUse certifying = cell("cell-b", CellState.CERTIFYING, 0, 100, 0);
        CellUse active = cell("cell-c", CellState.ACTIVE, 90, 100, 0);

        assertThat(byShops.choose(List.of(draining, certifying, active))).isEqualTo(active);
    }

    @Test
    void equal_headroom_goes_to_the_lower_cell_id_so_the_choice_is_deterministic() {
        assertThat(byShops.choose(List.of(cell("cell-b", CellState.ACTIVE, 1, 10, 0), cell("cell-a", CellState.ACTIVE, 1, 10, 0)))
                .cell().cellId()).isEqualTo(CellId.of("cell-a"));
    }

    @Test
    void load_counts_by_its_weight_and_a_cell_at_its_load_limit_is_full() {
        CellChooser byLoad = new CellChooser(new PlacementWeights(50, 50));
        CellUse busy = cell("cell-a", CellState.ACTIVE, 0, 100, 90);
        CellUse calm = cell("cell-b", CellState.ACTIVE, 20, 100, 10);

        assertThat(byLoad.choose(List.of(busy, calm))).isEqualTo(calm);
        assertThat(cell("cell-c", CellState.ACTIVE, 0, 100, 100).headroom(byLoad.weights())).isZero();
    }

    @Test
    void with_no_active_cell_with_headroom_the_problem_names_each_cell_and_why() {
        assertThatThrownBy(() -> byShops.choose(List.of(cell("cell-a", CellState.ACTIVE, 10, 10, 0),
                cell("cell-b", CellState.DRAINING, 0, 10, 0))))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(503);
                    assertThat(e.problem().detail()).contains("no ACTIVE cell with headroom", "cell-a is full (10/10 shops",
                            "cell-b is DRAINING");
                });
    }

    @Test
    void weights_must_add_up_to_one_hundred() {
        assertThatThrownBy(() -> new PlacementWeights(60, 60)).isInstanceOf(IllegalArgumentException.class);
    }
}
