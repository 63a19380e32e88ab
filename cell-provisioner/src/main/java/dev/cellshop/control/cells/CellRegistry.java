package dev.cellshop.control.cells;

import dev.cellshop.control.placement.Placer;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.Capacity;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.CellState;
import dev.cellshop.kernel.placement.Endpoints;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cells the control plane knows: registration of an existing cell and the cells'
 * summaries (state, shops, headroom). Blocking: call off any event loop.
 *
 * <p>Registration takes a cell straight to ACTIVE through PROVISIONING and CERTIFYING,
 * with the reason saying that no certification run was made: the certification gate
 * (canary shop, checkout through the router) is a later part of the control-plane issue,
 * and will sit between those two transitions.
 */
public final class CellRegistry {

    static final String UNCERTIFIED = "registered without a certification run (certification is not built yet)";
    private static final Logger LOG = LoggerFactory.getLogger(CellRegistry.class);

    private final TopologyStore topology;
    private final Placer placer;

    public CellRegistry(TopologyStore topology, Placer placer) {
        this.topology = topology;
        this.placer = placer;
    }

    /** Registers a new cell, ACTIVE; 409 if a cell of that id already has a descriptor. */
    public CellDescriptor register(CellId cellId, Endpoints endpoints, Capacity capacity, String actor) throws Exception {
        if (topology.cell(cellId).isPresent()) {
            throw new ProblemException(Problem.conflict("cell " + cellId + " is already registered"));
        }
        CellDescriptor active = CellDescriptor.provisioning(cellId, endpoints, capacity)
                .transitionTo(CellState.CERTIFYING, null)
                .transitionTo(CellState.ACTIVE, UNCERTIFIED);
        try {
            topology.putCell(null, active, actor, "cell.register");
        } catch (org.apache.zookeeper.KeeperException.NodeExistsException | org.apache.zookeeper.KeeperException.BadVersionException raced) {
            throw new ProblemException(Problem.conflict("cell " + cellId + " was registered concurrently"));
        }
        LOG.info("event=cell_registered cell={} state={} actor={}", cellId, active.state(), actor);
        return active;
    }

    /** Registers the cell unless it already has a descriptor (a restart of the local platform). */
    public boolean registerIfAbsent(CellId cellId, Endpoints endpoints, Capacity capacity, String actor) throws Exception {
        if (topology.cell(cellId).isPresent()) {
            return false;
        }
        register(cellId, endpoints, capacity, actor);
        return true;
    }

    public List<CellSummary> list() throws Exception {
        return topology.cells().stream().map(this::summary).toList();
    }

    public CellSummary show(CellId cellId) throws Exception {
        return topology.cell(cellId).map(this::summary)
                .orElseThrow(() -> new ProblemException(Problem.notFound("unknown cell " + cellId)));
    }

    public Optional<CellDescriptor> descriptor(CellId cellId) throws Exception {
        return topology.cell(cellId);
    }

    private CellSummary summary(CellDescriptor cell) {
        var use = placer.use(cell);
        return new CellSummary(cell.cellId(), cell.state(), use.shops(), use.load(), use.headroom(placer.chooser().weights()),
                cell.capacity(), cell.endpoints(), cell.stateReason());
    }
}
