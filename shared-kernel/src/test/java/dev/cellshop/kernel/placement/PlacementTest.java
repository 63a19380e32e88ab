package dev.cellshop.kernel.placement;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementTest {

    private static final CellId A = CellId.of("cell-a");
    private static final CellId B = CellId.of("cell-b");

    @Test
    void a_new_shop_is_active_on_its_cell_at_epoch_one() {
        assertThat(Placement.initial(A)).isEqualTo(new Placement(A, PlacementState.ACTIVE, 1));
    }

    @Test
    void a_move_freezes_then_activates_on_the_target_raising_the_epoch_each_time() {
        Placement frozen = Placement.initial(A).freeze();
        assertThat(frozen).isEqualTo(new Placement(A, PlacementState.FROZEN, 2));
        assertThat(frozen.activateOn(B)).isEqualTo(new Placement(B, PlacementState.ACTIVE, 3));
    }

    @Test
    void an_aborted_move_activates_again_on_the_source_with_a_new_epoch() {
        assertThat(Placement.initial(A).freeze().activateOn(A)).isEqualTo(new Placement(A, PlacementState.ACTIVE, 3));
    }

    @Test
    void a_frozen_placement_cannot_be_frozen_again() {
        Placement frozen = Placement.initial(A).freeze();
        assertThatThrownBy(frozen::freeze).isInstanceOf(IllegalStateException.class).hasMessageContaining("FROZEN");
    }

    @Test
    void an_active_placement_cannot_be_activated_without_freezing_first() {
        assertThatThrownBy(() -> Placement.initial(A).activateOn(B))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ACTIVE").hasMessageContaining("cell-b");
    }

    @Test
    void a_cell_serves_only_when_named_active_and_at_the_same_epoch() {
        Placement placement = new Placement(A, PlacementState.ACTIVE, 5);
        assertThat(placement.servesOn(A, 5)).isTrue();
        assertThat(placement.servesOn(B, 5)).as("other cell").isFalse();
        assertThat(placement.servesOn(A, 4)).as("stale epoch").isFalse();
        assertThat(placement.servesOn(A, 6)).as("future epoch").isFalse();
        assertThat(new Placement(A, PlacementState.FROZEN, 5).servesOn(A, 5)).as("frozen").isFalse();
    }

    @Test
    void after_a_move_the_source_cell_is_fenced_off_at_its_old_epoch() {
        Placement before = Placement.initial(A);
        Placement after = before.freeze().activateOn(B);
        assertThat(after.servesOn(A, before.epoch())).isFalse();
        assertThat(after.servesOn(B, after.epoch())).isTrue();
    }

    @Test
    void placement_epoch_starts_at_one() {
        assertThatThrownBy(() -> new Placement(A, PlacementState.ACTIVE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch");
    }

    @Test
    void placement_json_matches_the_zookeeper_node_format() {
        String json = Json.write(new Placement(A, PlacementState.ACTIVE, 1));
        assertThat(json).isEqualTo("{\"cellId\":\"cell-a\",\"state\":\"ACTIVE\",\"epoch\":1}");
        assertThat(Json.read(json, Placement.class)).isEqualTo(Placement.initial(A));
    }

    @Test
    void placement_json_without_an_epoch_or_cell_is_refused() {
        assertThatThrownBy(() -> Json.read("{\"cellId\":\"cell-a\",\"state\":\"ACTIVE\"}", Placement.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.read("{\"state\":\"ACTIVE\",\"epoch\":3}", Placement.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.read("{\"cellId\":\"cell-a\",\"state\":\"MOVING\",\"epoch\":3}", Placement.class))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
