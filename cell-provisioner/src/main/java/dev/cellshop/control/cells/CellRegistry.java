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
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cells the control plane knows: the local platform's cells registered at start, the
 * cells' summaries (state, shops, headroom), and the end of a cell's life: drain (no new
 * shops) and retire (only when empty). A new cell goes through {@link CellProvisioning}.
 * Blocking: call off any event loop.
 */
public final class CellRegistry {

    /**
     * The local platform's own cells are ACTIVE from its start, before any router exists to
     * certify through; every cell added later is certified (CellProvisioning).
     */
    static final String LOCAL = "a cell of the local platform (platform.json), registered at the control plane's start";
    private static final Logger LOG = LoggerFactory.getLogger(CellRegistry.class);

    private final TopologyStore topology;
    private final Placer placer;

    public CellRegistry(TopologyStore topology, Placer placer) {
        this.topology = topology;
        this.placer = placer;
    }

    /** Registers a local platform's cell, ACTIVE, unless it already has a descriptor (a restart). */
    public boolean registerLocalIfAbsent(CellId cellId, Endpoints endpoints, Capacity capacity, String actor) throws Exception {
        if (topology.cell(cellId).isPresent()) {
            return false;
        }
        CellDescriptor active = CellDescriptor.provisioning(cellId, endpoints, capacity)
                .transitionTo(CellState.CERTIFYING, null)
                .transitionTo(CellState.ACTIVE, LOCAL);
        put(null, active, actor, "cell.register");
        LOG.info("event=cell_registered cell={} state={} actor={}", cellId, active.state(), actor);
        return true;
    }

    /** ACTIVE -> DRAINING: the placer skips it from now on; its shops stay until moved. Idempotent. */
    public CellSummary drain(CellId cellId, String actor) throws Exception {
        CellDescriptor cell = require(cellId);
        if (cell.state() != CellState.DRAINING) {
            if (cell.state() != CellState.ACTIVE) {
                throw new ProblemException(Problem.conflict("cell " + cellId + " is " + cell.state()
                        + ": only an ACTIVE cell can be drained"));
            }
            put(cell, cell.transitionTo(CellState.DRAINING, "drained by " + actor + ": takes no new shops"), actor, "cell.drain");
            LOG.info("event=cell_draining cell={} actor={}", cellId, actor);
        }
        return show(cellId);
    }

    /**
     * DRAINING -> RETIRED, only when no shop is placed on the cell (nor being placed). The
     * count comes from the placement cache, which trails a creation by milliseconds; a
     * DRAINING cell takes no creation, so it can only fall.
     */
    public CellSummary retire(CellId cellId, String actor) throws Exception {
        CellDescriptor cell = require(cellId);
        if (cell.state() != CellState.RETIRED) {
            if (cell.state() != CellState.DRAINING) {
                throw new ProblemException(Problem.conflict("cell " + cellId + " is " + cell.state()
                        + ": drain it first ('cell drain " + cellId + "'), then retire it once it is empty"));
            }
            int shops = placer.use(cell).shops();
            if (shops > 0) {
                throw new ProblemException(Problem.conflict("cell " + cellId + " still holds " + shops
                        + " shop(s): move them to other cells first, then retire it"));
            }
            put(cell, cell.transitionTo(CellState.RETIRED, "retired by " + actor), actor, "cell.retire");
            LOG.info("event=cell_retired cell={} actor={}", cellId, actor);
        }
        return show(cellId);
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

    private CellDescriptor require(CellId cellId) throws Exception {
        return topology.cell(cellId).orElseThrow(() -> new ProblemException(Problem.notFound("unknown cell " + cellId)));
    }

    private void put(CellDescriptor before, CellDescriptor after, String actor, String action) throws Exception {
        put(topology, before, after, actor, action);
    }

    /** A descriptor change with its audit entry; a concurrent change of the same cell is a 409. */
    static void put(TopologyStore topology, CellDescriptor before, CellDescriptor after, String actor, String action)
            throws Exception {
        try {
            topology.putCell(before, after, actor, action);
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException raced) {
            throw new ProblemException(Problem.conflict("cell " + after.cellId() + " was changed concurrently"));
        }
    }

    private CellSummary summary(CellDescriptor cell) {
        var use = placer.use(cell);
        return new CellSummary(cell.cellId(), cell.state(), use.shops(), use.load(), use.headroom(placer.chooser().weights()),
                cell.capacity(), cell.endpoints(), cell.stateReason());
    }
}
