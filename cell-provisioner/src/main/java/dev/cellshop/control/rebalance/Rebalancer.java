package dev.cellshop.control.rebalance;

import dev.cellshop.control.audit.AuditEntry;
import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.control.mover.Movers;
import dev.cellshop.control.placement.CellUse;
import dev.cellshop.control.placement.Placer;
import dev.cellshop.control.topology.ShopCounts;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/rebalance}: plans from the topology as it is now and, unless a dry run,
 * runs the plan ({@link RebalanceRun}); {@code GET /v1/rebalance}: the run going on or the
 * last one. One run at a time in this control plane. A run lives in memory: if the control
 * plane stops or loses the lead, the moves it started resume on the leader (Movers) and those
 * not yet started are dropped; a new rebalance plans them again. Blocking (ZooKeeper): call off any event loop.
 */
public final class Rebalancer implements AutoCloseable {

    /**
     * @param tolerance       how far (utilisation, 0..1) a cell may stay from the level
     * @param defaultMaxMoves the plan's cap when a request gives none
     * @param concurrentMoves moves of a run going at once (the mover threads: move.concurrent)
     */
    public record Settings(double tolerance, int defaultMaxMoves, int concurrentMoves) {
    }

    /** The largest plan a request may ask for: each move is a copy and a cutover, so a bigger one is a mistake. */
    public static final int MOST_MOVES = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);

    private final TopologyStore topology;
    private final Placer placer;
    private final ShopCounts counts;
    private final Movers movers;
    private final AuditLog audit;
    private final Settings settings;
    private final RebalancePlanner planner;
    private RebalanceRun last; // guarded by this

    public Rebalancer(TopologyStore topology, Placer placer, ShopCounts counts, Movers movers, AuditLog audit, Settings settings) {
        this.topology = topology;
        this.placer = placer;
        this.counts = counts;
        this.movers = movers;
        this.audit = audit;
        this.settings = settings;
        this.planner = new RebalancePlanner(placer.chooser().weights(), settings.tolerance());
    }

    public int defaultMaxMoves() {
        return settings.defaultMaxMoves();
    }

    /**
     * The plan; unless {@code dryRun}, its moves are started too and the answer is the run.
     * 409 while a run is going: its moves not yet started are not in the topology, so a second
     * plan, even a dry one, would count them wrong.
     */
    public synchronized RebalanceView rebalance(boolean dryRun, int maxMoves, String actor) throws Exception {
        if (last != null && last.running()) {
            RebalanceView going = last.view();
            long stopped = going.moves().stream().filter(RebalanceView.Move::stopped).count();
            throw new ProblemException(Problem.conflict("rebalance " + going.rebalanceId() + " is running (" + stopped + " of "
                    + going.moves().size() + " moves ended): follow it with GET /v1/rebalance"));
        }
        List<CellUse> uses = topology.cells().stream().map(placer::use).toList();
        RebalanceInputs inputs = RebalanceInputs.of(uses, counts.placements(), movers.unfinished());
        RebalancePlan plan = planner.plan(inputs.cells(), inputs.movable(), maxMoves);
        String id = "rebalance-" + System.currentTimeMillis();
        if (dryRun) {
            String now = Instant.now().toString();
            return RebalanceView.of(id, true, false, now, now, plan, plan.moves().stream().map(RebalanceView.Move::planned).toList());
        }
        audit.record(AuditEntry.of(actor, "rebalance.start", "rebalance/" + id, null, Json.mapper().valueToTree(plan)));
        LOG.info("event=rebalance_started rebalance={} moves={} level={} actor={}", id, plan.moves().size(), plan.level(), actor);
        last = new RebalanceRun(id, plan, movers, topology, settings.concurrentMoves(), actor);
        last.start(ended -> {
            try {
                audit.record(AuditEntry.of(actor, "rebalance.end", "rebalance/" + id, null, Json.mapper().valueToTree(ended)));
            } catch (Exception e) {
                LOG.warn("event=rebalance_end_not_audited rebalance={} error=\"{}\"", id, e.toString());
            }
        });
        return last.view();
    }

    /** The run going on, or the last one; 404 when this control plane has run none. */
    public RebalanceView current() {
        RebalanceRun run;
        synchronized (this) {
            run = last;
        }
        if (run == null) {
            throw new ProblemException(Problem.notFound("no rebalance has run since the control plane started"));
        }
        return run.liveView();
    }

    /** Stops the run going on (the lead is lost, or the control plane stops); its moves not yet started are dropped. */
    public synchronized void park() {
        if (last != null) {
            last.stop();
        }
    }

    @Override
    public void close() {
        park();
    }
}
