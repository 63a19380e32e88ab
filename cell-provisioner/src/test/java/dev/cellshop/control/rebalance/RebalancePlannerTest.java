package dev.cellshop.control.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cellshop.control.placement.CellUse;
import dev.cellshop.control.placement.PlacementWeights;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Capacity;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.CellState;
import dev.cellshop.kernel.placement.Endpoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RebalancePlannerTest {

    private static final Endpoints ENDPOINTS = new Endpoints("127.0.0.1:3306", "redis://127.0.0.1:6379", "127.0.0.1:11211");
    private static final PlacementWeights BY_SHOPS = new PlacementWeights(100, 0);
    private final RebalancePlanner planner = new RebalancePlanner(BY_SHOPS, 0.05);

    private static CellUse cell(String id, CellState state, int shops, int maxShops) {
        return new CellUse(new CellDescriptor(CellId.of(id), state, ENDPOINTS, new Capacity(maxShops, 100), null), shops, 0);
    }

    private static CellUse active(String id, int shops, int maxShops) {
        return cell(id, CellState.ACTIVE, shops, maxShops);
    }

    /** Shops numbered from {@code first}, one per shop the cell holds. */
    private static List<ShopId> shops(long first, int count) {
        return LongStream.range(first, first + count).mapToObj(ShopId::of).toList();
    }

    private static Map<CellId, List<ShopId>> movable(CellUse... cells) {
        Map<CellId, List<ShopId>> all = new HashMap<>();
        long next = 1;
        for (CellUse c : cells) {
            all.put(c.cell().cellId(), shops(next, c.shops()));
            next += c.shops();
        }
        return all;
    }

    private static CellBalance balance(RebalancePlan plan, String cell) {
        return plan.cells().stream().filter(c -> c.cellId().equals(CellId.of(cell))).findFirst().orElseThrow();
    }

    /** Σ capacity·(utilisation − level)², which every planned move lowers. */
    private static double spread(RebalancePlan plan, boolean after) {
        return plan.cells().stream().mapToDouble(c -> {
            double off = (after ? c.utilisationAfter() : c.utilisationBefore()) - plan.level();
            return c.maxShops() * off * off;
        }).sum();
    }

    @Test
    void cells_already_within_the_tolerance_of_the_level_get_no_move() {
        CellUse a = active("cell-a", 50, 100);
        CellUse b = active("cell-b", 46, 100);

        RebalancePlan plan = planner.plan(List.of(a, b), movable(a, b), 20);

        assertThat(plan.moves()).isEmpty();
        assertThat(plan.balanced()).isTrue();
        assertThat(plan.level()).isCloseTo(0.48, within(1e-9));
    }

    @Test
    void shops_pinned_to_one_cell_spread_with_the_fewest_moves_until_every_cell_is_within_the_tolerance() {
        CellUse a = active("cell-a", 9, 10);
        CellUse b = active("cell-b", 0, 10);
        CellUse c = active("cell-c", 0, 10);

        RebalancePlan plan = planner.plan(List.of(a, b, c), movable(a, b, c), 20);

        // level 0.3; a cell of 10 may stay one shop (0.1) off it: cell-a must give 5, no fewer will do
        assertThat(plan.level()).isCloseTo(0.3, within(1e-9));
        assertThat(plan.moves()).hasSize(5).allMatch(m -> m.from().equals(CellId.of("cell-a")));
        assertThat(plan.moves()).extracting(m -> m.to().value())
                .as("the least utilised cell takes the next shop, ties to the lower id")
                .containsExactly("cell-b", "cell-c", "cell-b", "cell-c", "cell-b");
        assertThat(balance(plan, "cell-a").shopsAfter()).isEqualTo(4);
        assertThat(balance(plan, "cell-a").utilisationBefore()).isCloseTo(0.9, within(1e-9));
        assertThat(balance(plan, "cell-a").utilisationAfter()).isCloseTo(0.4, within(1e-9));
        assertThat(plan.balanced()).isTrue();
        assertThat(plan.capped()).isFalse();
    }

    @Test
    void cells_of_different_sizes_level_by_utilisation_not_by_shop_count() {
        CellUse big = active("cell-a", 10, 100);
        CellUse small = active("cell-b", 10, 20);

        RebalancePlan plan = planner.plan(List.of(big, small), movable(big, small), 20);

        // level 20/120; the small cell may stay 5% (one shop) above it: 4 shops of 20
        assertThat(plan.moves()).hasSize(6).allMatch(m -> m.from().equals(CellId.of("cell-b")) && m.to().equals(CellId.of("cell-a")));
        assertThat(balance(plan, "cell-b").shopsAfter()).isEqualTo(4);
        assertThat(balance(plan, "cell-a").shopsAfter()).isEqualTo(16);
        assertThat(plan.balanced()).isTrue();
    }

    @Test
    void the_most_utilised_cell_gives_first_and_its_newest_shop_goes_first() {
        CellUse a = active("cell-a", 7, 10);
        CellUse b = active("cell-b", 9, 10);
        CellUse c = active("cell-c", 0, 10);
        Map<CellId, List<ShopId>> movable = Map.of(CellId.of("cell-a"), shops(100, 7), CellId.of("cell-b"), shops(200, 9),
                CellId.of("cell-c"), List.of());

        RebalancePlan plan = planner.plan(List.of(a, b, c), movable, 1);

        assertThat(plan.moves()).containsExactly(new PlannedMove(ShopId.of(208), CellId.of("cell-b"), CellId.of("cell-c")));
    }

    @Test
    void the_plan_stops_at_max_moves_and_says_it_was_capped() {
        CellUse a = active("cell-a", 9, 10);
        CellUse b = active("cell-b", 0, 10);

        RebalancePlan plan = planner.plan(List.of(a, b), movable(a, b), 2);

        assertThat(plan.moves()).hasSize(2);
        assertThat(plan.capped()).isTrue();
        assertThat(plan.balanced()).isFalse();
        assertThat(balance(plan, "cell-a").levelAfter()).isFalse();
    }

    @Test
    void draining_and_provisioning_cells_are_neither_source_nor_target_nor_part_of_the_level() {
        CellUse full = active("cell-a", 8, 10);
        CellUse empty = active("cell-b", 2, 10);
        CellUse draining = cell("cell-c", CellState.DRAINING, 10, 10);
        CellUse provisioning = cell("cell-d", CellState.PROVISIONING, 0, 10);

        RebalancePlan plan = planner.plan(List.of(full, empty, draining, provisioning), movable(full, empty, draining, provisioning), 20);

        assertThat(plan.cells()).extracting(c -> c.cellId().value()).containsExactly("cell-a", "cell-b");
        assertThat(plan.level()).isCloseTo(0.5, within(1e-9));
        assertThat(plan.moves()).hasSize(2).allMatch(m -> m.from().value().equals("cell-a") && m.to().value().equals("cell-b"));
    }

    @Test
    void only_the_shops_given_as_movable_move_and_a_cell_with_none_gives_nothing() {
        CellUse stuck = active("cell-a", 9, 10);
        CellUse loaded = active("cell-b", 6, 10);
        CellUse empty = active("cell-c", 0, 10);
        Map<CellId, List<ShopId>> movable = Map.of(CellId.of("cell-a"), List.of(), CellId.of("cell-b"), shops(1, 6));

        RebalancePlan plan = planner.plan(List.of(stuck, loaded, empty), movable, 20);

        assertThat(plan.moves()).isNotEmpty().allMatch(m -> m.from().value().equals("cell-b") && m.to().value().equals("cell-c"));
        assertThat(plan.moves()).extracting(PlannedMove::shopId).doesNotHaveDuplicates().allMatch(s -> s.value() <= 6);
    }

    @Test
    void a_target_never_gets_more_shops_than_its_capacity() {
        CellUse full = active("cell-a", 100, 100);
        CellUse tiny = active("cell-b", 0, 2);
        CellUse big = active("cell-c", 100, 1000);

        RebalancePlan plan = planner.plan(List.of(full, tiny, big), movable(full, tiny, big), 200);

        assertThat(plan.cells()).allMatch(c -> c.shopsAfter() <= c.maxShops());
        assertThat(balance(plan, "cell-b").shopsAfter()).isLessThanOrEqualTo(2);
        assertThat(plan.balanced()).isTrue();
    }

    @Test
    void without_weight_on_shops_no_move_can_change_a_utilisation_so_none_is_planned() {
        RebalancePlanner byLoad = new RebalancePlanner(new PlacementWeights(0, 100), 0.05);
        CellUse a = active("cell-a", 9, 10);
        CellUse b = active("cell-b", 0, 10);

        assertThat(byLoad.plan(List.of(a, b), movable(a, b), 20).moves()).isEmpty();
    }

    @Test
    void any_topology_gives_a_deterministic_plan_within_capacity_that_never_moves_back_and_forth() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            List<CellUse> cells = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                int max = 1 + random.nextInt(random.nextBoolean() ? 12 : 400);
                CellState state = random.nextInt(5) == 0 ? CellState.DRAINING : CellState.ACTIVE;
                cells.add(cell("cell-" + (char) ('a' + i), state, random.nextInt(max + 1), max));
            }
            Map<CellId, List<ShopId>> movable = movable(cells.toArray(CellUse[]::new));
            int maxMoves = random.nextInt(60);

            RebalancePlan plan = planner.plan(cells, movable, maxMoves);

            assertThat(planner.plan(List.copyOf(cells).reversed(), movable, maxMoves)).as("round " + round).isEqualTo(plan);
            assertThat(plan.moves()).hasSizeLessThanOrEqualTo(maxMoves);
            assertThat(plan.moves()).extracting(PlannedMove::shopId).doesNotHaveDuplicates();
            Set<CellId> sources = new HashSet<>();
            Set<CellId> targets = new HashSet<>();
            for (PlannedMove m : plan.moves()) {
                assertThat(movable.get(m.from())).contains(m.shopId());
                sources.add(m.from());
                targets.add(m.to());
            }
            sources.retainAll(targets);
            assertThat(sources).as("a cell either gives or takes, round " + round).isEmpty();
            for (CellBalance c : plan.cells()) {
                CellUse before = cells.stream().filter(u -> u.cell().cellId().equals(c.cellId())).findFirst().orElseThrow();
                assertThat(before.cell().state()).isEqualTo(CellState.ACTIVE);
                if (targets.contains(c.cellId())) {
                    assertThat(c.shopsAfter()).isLessThanOrEqualTo(c.maxShops());
                }
            }
            assertThat(spread(plan, true)).as("round " + round).isLessThanOrEqualTo(spread(plan, false) + 1e-9);
        }
    }
}
