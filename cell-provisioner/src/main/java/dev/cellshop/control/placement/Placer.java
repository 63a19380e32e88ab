package dev.cellshop.control.placement;

import dev.cellshop.control.topology.ShopCounts;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides the cell of each new shop and holds that decision until its placement is written:
 * a shop being created counts on its cell already, so concurrent creations spread by
 * headroom instead of all choosing the same emptiest cell.
 */
public final class Placer {

    private final CellChooser chooser;
    private final ShopCounts counts;
    private final Map<CellId, Integer> pending = new HashMap<>();

    public Placer(CellChooser chooser, ShopCounts counts) {
        this.chooser = chooser;
        this.counts = counts;
    }

    /** A cell for one shop; close the reservation once the placement is written or given up. */
    public synchronized Reservation reserve(List<CellDescriptor> cells, CellId requested) {
        CellUse chosen;
        if (requested != null) {
            CellDescriptor cell = cells.stream().filter(c -> c.cellId().equals(requested)).findFirst()
                    .orElseThrow(() -> new ProblemException(Problem.notFound("unknown cell " + requested
                            + "; the cells are " + cells.stream().map(c -> c.cellId().toString()).toList())));
            chosen = use(cell);
            if (!cell.state().acceptsNewShops()) {
                throw new ProblemException(Problem.conflict("cell " + requested + " is " + cell.state()
                        + ": only an ACTIVE cell takes new shops"));
            }
            if (chosen.headroom(chooser.weights()) <= 0) {
                throw new ProblemException(Problem.conflict("cell " + requested + " is full: " + chosen.shops() + "/"
                        + cell.capacity().maxShops() + " shops"));
            }
        } else {
            chosen = chooser.choose(cells.stream().map(this::use).toList());
        }
        pending.merge(chosen.cell().cellId(), 1, Integer::sum);
        return new Reservation(chosen.cell());
    }

    /**
     * A reservation on {@code cell} whatever its state, for a certification canary: counted
     * like any shop in flight, but never chosen from the pool.
     */
    public synchronized Reservation pin(CellDescriptor cell) {
        pending.merge(cell.cellId(), 1, Integer::sum);
        return new Reservation(cell);
    }

    /** The cell's use as placement sees it (load is not measured yet: 0). */
    public synchronized CellUse use(CellDescriptor cell) {
        return new CellUse(cell, counts.shopsOn(cell.cellId()) + pending.getOrDefault(cell.cellId(), 0), 0);
    }

    public CellChooser chooser() {
        return chooser;
    }

    public final class Reservation implements AutoCloseable {
        private final CellDescriptor cell;
        private boolean closed;

        private Reservation(CellDescriptor cell) {
            this.cell = cell;
        }

        public CellDescriptor cell() {
            return cell;
        }

        @Override
        public void close() {
            synchronized (Placer.this) {
                if (!closed) {
                    closed = true;
                    pending.computeIfPresent(cell.cellId(), (c, n) -> n == 1 ? null : n - 1);
                }
            }
        }
    }
}
