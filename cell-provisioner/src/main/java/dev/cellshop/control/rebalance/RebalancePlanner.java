package dev.cellshop.control.rebalance;

import dev.cellshop.control.placement.CellUse;
import dev.cellshop.control.placement.PlacementWeights;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.CellState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans the moves that level the ACTIVE cells' utilisation (placement's notion:
 * {@link CellUse#utilisation}). Pure logic; the rule is in this package's {@code package-info}.
 */
public final class RebalancePlanner {

    // utilisations are sums of fractions: equal ones may differ in the last bits
    private static final double EPSILON = 1e-9;

    private final PlacementWeights weights;
    private final double tolerance;

    /** @param tolerance how far (utilisation, 0..1) a cell may stay from the level */
    public RebalancePlanner(PlacementWeights weights, double tolerance) {
        if (!(tolerance >= 0 && tolerance <= 1)) {
            throw new IllegalArgumentException("rebalance tolerance must be 0..1, got " + tolerance);
        }
        this.weights = weights;
        this.tolerance = tolerance;
    }

    /**
     * @param cells    the cells with their shops counted where they will be (a shop moving now
     *                 counts on its target); cells that are not ACTIVE are left out
     * @param movable  per cell, the shops a move may take: ACTIVE placements not moving now
     * @param maxMoves the most moves planned
     */
    public RebalancePlan plan(List<CellUse> cells, Map<CellId, List<ShopId>> movable, int maxMoves) {
        if (maxMoves < 0) {
            throw new IllegalArgumentException("maxMoves must be >= 0, got " + maxMoves);
        }
        List<Slot> slots = cells.stream().filter(c -> c.cell().state() == CellState.ACTIVE)
                .sorted(Comparator.comparing(c -> c.cell().cellId()))
                .map(c -> new Slot(c, movable.getOrDefault(c.cell().cellId(), List.of())))
                .toList();
        double level = level(slots);
        List<PlannedMove> moves = new ArrayList<>();
        boolean capped = false;
        for (Optional<Slot[]> next = next(slots, level); next.isPresent(); next = next(slots, level)) {
            if (moves.size() == maxMoves) {
                capped = true;
                break;
            }
            Slot from = next.get()[0];
            Slot to = next.get()[1];
            moves.add(new PlannedMove(from.shops.removeFirst(), from.id(), to.id()));
            from.now = from.now.withShops(-1);
            from.gave = true;
            to.now = to.now.withShops(1);
            to.took = true;
        }
        List<CellBalance> balances = slots.stream().map(s -> new CellBalance(s.id(), s.before.cell().capacity().maxShops(),
                s.before.shops(), s.now.shops(), use(s.before), use(s.now), withinBand(s, level))).toList();
        return new RebalancePlan(level, tolerance, maxMoves, capped, balances.stream().allMatch(CellBalance::levelAfter),
                balances, moves);
    }

    /**
     * The capacity-weighted mean utilisation: with shops alone (load is not measured yet) it is
     * all shops over all capacity, which moves do not change, and the one level every cell can
     * reach at once. A plain mean of the cells' utilisations would shift with every move
     * between cells of different sizes.
     */
    private double level(List<Slot> slots) {
        double used = 0;
        long capacity = 0;
        for (Slot s : slots) {
            used += use(s.before) * s.capacity();
            capacity += s.capacity();
        }
        return capacity == 0 ? 0 : used / capacity;
    }

    /**
     * The next move: the most utilised cell above the level that gave, not took, and has a
     * movable shop, to the least utilised cell below the level with room that took, not gave;
     * ties go to the lower cell id. A pair qualifies only if one of them is outside its band and
     * the move does not carry the source below the target, so every move strictly lowers
     * Σ capacity·(utilisation − level)² and no plan can cycle.
     */
    private Optional<Slot[]> next(List<Slot> slots, double level) {
        Comparator<Slot> byUse = Comparator.comparingDouble((Slot s) -> use(s.now)).thenComparing(Slot::id);
        List<Slot> sources = slots.stream().filter(s -> !s.took && !s.shops.isEmpty() && use(s.now) > level + EPSILON)
                .sorted(Comparator.comparingDouble((Slot s) -> -use(s.now)).thenComparing(Slot::id)).toList();
        List<Slot> targets = slots.stream().filter(s -> !s.gave && s.now.shops() < s.capacity() && use(s.now) < level - EPSILON)
                .sorted(byUse).toList();
        for (Slot from : sources) {
            for (Slot to : targets) {
                if (withinBand(from, level) && withinBand(to, level)) {
                    continue;
                }
                double fromAfter = use(from.now.withShops(-1));
                double toAfter = use(to.now.withShops(1));
                if (fromAfter < use(from.now) - EPSILON && fromAfter >= toAfter - EPSILON) {
                    return Optional.of(new Slot[] {from, to});
                }
            }
        }
        return Optional.empty();
    }

    /** Within the tolerance of the level, or within one shop of it: shop counts are whole, a finer band may be unreachable. */
    private boolean withinBand(Slot s, double level) {
        double oneShop = weights.shopsPercent() / 100.0 / s.capacity();
        return Math.abs(use(s.now) - level) <= Math.max(tolerance, oneShop) + EPSILON;
    }

    private double use(CellUse cell) {
        return cell.utilisation(weights);
    }

    /** A cell while the plan is made. */
    private static final class Slot {
        final CellUse before;
        CellUse now;
        // newest first: ids are time-ordered, and the newest shop has had the least time to
        // gather rows, orders and carts, so its move copies least and pauses shortest
        final Deque<ShopId> shops;
        boolean gave;
        boolean took;

        Slot(CellUse before, Collection<ShopId> movable) {
            this.before = before;
            this.now = before;
            this.shops = new ArrayDeque<>(movable.stream().distinct().sorted(Comparator.reverseOrder()).toList());
        }

        CellId id() {
            return before.cell().cellId();
        }

        int capacity() {
            return before.cell().capacity().maxShops();
        }
    }
}
