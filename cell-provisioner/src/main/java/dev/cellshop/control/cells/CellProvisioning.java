package dev.cellshop.control.cells;

import dev.cellshop.control.certification.CertificationFailure;
import dev.cellshop.control.certification.Certifier;
import dev.cellshop.control.certification.StoreProbes;
import dev.cellshop.control.shops.CellDatabase;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.Capacity;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.CellState;
import dev.cellshop.kernel.placement.Endpoints;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a cell into the placement pool, or keeps it out with the reason recorded:
 * <ol>
 * <li>descriptor PROVISIONING (audit {@code cell.register});</li>
 * <li>its MySQL, Redis and Memcached answer ({@link StoreProbes}), and its schema is migrated
 *     (Flyway, the migrations of cell-schema that the cell-runtime runs too);</li>
 * <li>CERTIFYING ({@code cell.certify.start}), the {@link Certifier}'s canary run through the router;</li>
 * <li>ACTIVE on pass ({@code cell.certify.passed}, the latencies as the reason); on failure back
 *     to PROVISIONING ({@code cell.certify.failed}) with a reason naming the component and its
 *     address, and a 503 to the caller. Only ACTIVE cells take shops, so a failed cell never gets one.</li>
 * </ol>
 * A cell left in PROVISIONING may be registered again (e.g. once its MySQL is fixed); any
 * other known cell is a conflict. Blocking: call off any event loop.
 */
public final class CellProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(CellProvisioning.class);

    private final TopologyStore topology;
    private final CellDatabase databases;
    private final StoreProbes probes;
    private final Certifier certifier;

    public CellProvisioning(TopologyStore topology, CellDatabase databases, StoreProbes probes, Certifier certifier) {
        this.topology = topology;
        this.databases = databases;
        this.probes = probes;
        this.certifier = certifier;
    }

    public CellDescriptor provision(CellId cellId, Endpoints endpoints, Capacity capacity, String actor) throws Exception {
        Optional<CellDescriptor> known = topology.cell(cellId);
        if (known.isPresent() && known.get().state() != CellState.PROVISIONING) {
            throw new ProblemException(Problem.conflict("cell " + cellId + " is already registered (" + known.get().state() + ")"));
        }
        CellDescriptor provisioning = CellDescriptor.provisioning(cellId, endpoints, capacity);
        put(known.orElse(null), provisioning, actor, "cell.register");
        LOG.info("event=cell_registered cell={} state=PROVISIONING actor={}", cellId, actor);
        String schema;
        try {
            probes.probe(provisioning);
            schema = migrate(provisioning);
        } catch (CertificationFailure failure) {
            CellDescriptor failed = new CellDescriptor(cellId, CellState.PROVISIONING, endpoints, capacity,
                    "not certified: " + failure.reason());
            throw refused(provisioning, failed, actor);
        }
        CellDescriptor certifying = provisioning.transitionTo(CellState.CERTIFYING, "schema version " + schema + "; certification running");
        put(provisioning, certifying, actor, "cell.certify.start");
        String evidence;
        try {
            evidence = certifier.certify(certifying, actor);
        } catch (CertificationFailure failure) {
            throw refused(certifying, certifying.transitionTo(CellState.PROVISIONING, "not certified: " + failure.reason()), actor);
        }
        CellDescriptor active = certifying.transitionTo(CellState.ACTIVE, evidence);
        put(certifying, active, actor, "cell.certify.passed");
        LOG.info("event=cell_active cell={} actor={}", cellId, actor);
        return active;
    }

    private String migrate(CellDescriptor cell) throws CertificationFailure {
        try {
            return databases.migrate(cell);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new CertificationFailure(cell.cellId() + " mysql " + cell.endpoints().mysql() + " schema migration failed: "
                    + root.getMessage());
        }
    }

    private ProblemException refused(CellDescriptor before, CellDescriptor failed, String actor) throws Exception {
        put(before, failed, actor, "cell.certify.failed");
        LOG.warn("event=cell_certification_failed cell={} reason=\"{}\"", failed.cellId(), failed.stateReason());
        return new ProblemException(Problem.serviceUnavailable("cell " + failed.cellId() + " stays out of placement ("
                + failed.state() + "): " + failed.stateReason()));
    }

    private void put(CellDescriptor before, CellDescriptor after, String actor, String action) throws Exception {
        CellRegistry.put(topology, before, after, actor, action);
    }
}
