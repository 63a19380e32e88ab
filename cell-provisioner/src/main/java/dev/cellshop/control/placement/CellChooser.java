package dev.cellshop.control.placement;

import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Picks the cell a new shop goes to: the ACTIVE cell with the most headroom. Pure logic. */
public final class CellChooser {

    private final PlacementWeights weights;

    public CellChooser(PlacementWeights weights) {
        this.weights = weights;
    }

    /**
     * @throws ProblemException 503 naming every cell and why it cannot take the shop, when
     *                          no ACTIVE cell has headroom left
     */
    public CellUse choose(List<CellUse> cells) {
        // ties go to the lower cell id, so the choice is deterministic
        return cells.stream()
                .filter(c -> c.cell().state().acceptsNewShops() && c.headroom(weights) > 0)
                .max(Comparator.comparingDouble((CellUse c) -> c.headroom(weights))
                        .thenComparing(c -> c.cell().cellId(), Comparator.reverseOrder()))
                .orElseThrow(() -> new ProblemException(Problem.serviceUnavailable(
                        "no ACTIVE cell with headroom: " + (cells.isEmpty() ? "no cells are registered"
                                : cells.stream().map(this::why).collect(Collectors.joining(", "))))));
    }

    public PlacementWeights weights() {
        return weights;
    }

    private String why(CellUse c) {
        if (!c.cell().state().acceptsNewShops()) {
            return c.cell().cellId() + " is " + c.cell().state();
        }
        return c.cell().cellId() + " is full (" + c.shops() + "/" + c.cell().capacity().maxShops() + " shops, load "
                + c.load() + "/" + c.cell().capacity().maxLoad() + ")";
    }
}
