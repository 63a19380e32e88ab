package dev.cellshop.control.mover;

import dev.cellshop.control.audit.AuditEntry;
import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.control.credentials.CellCredentials;
import dev.cellshop.control.topology.ShopCounts;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.CellState;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.topology.TopologyPaths;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's moves: {@code POST /v1/moves} checks the preconditions and starts one
 * on a mover thread; {@code GET /v1/moves/{id}} reports it; {@code POST /v1/moves/{id}/abort}
 * stops one before its cutover. Only the leading control plane runs moves ({@code leads}:
 * the fence its checkpoint writes are conditional on, see {@code control.leader}): when it
 * takes the lead it claims and resumes the unfinished moves from their checkpoints
 * ({@link #resumeUnfinished}); when it loses it, {@link #park} stops its runners where they
 * are, for the next leader to resume. Blocking methods: call them off the event loop.
 */
public final class Movers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Movers.class);
    private static final Set<MovePhase> BEFORE_CUTOVER = Set.of(MovePhase.COPYING, MovePhase.CATCHING_UP, MovePhase.CAUGHT_UP);
    private static final Duration RUNNER_STOP = Duration.ofSeconds(15);
    private static final Set<MovePhase> UNFINISHED = Set.of(MovePhase.COPYING, MovePhase.CATCHING_UP, MovePhase.CAUGHT_UP,
            MovePhase.CUTTING_OVER, MovePhase.SWITCHED);

    /** Everything a move needs besides the topology. */
    public record Settings(CellCredentials credentials, MoveRunner.Settings runner, Cutover.Settings cutover,
                           Duration quiescence, Duration outboxDrain, ShopEraser.Factory erasers, int concurrentMoves) {
    }

    private final CuratorFramework curator;
    private final TopologyPaths paths;
    private final TopologyStore topology;
    private final ShopCounts counts;
    private final AuditLog audit;
    private final CheckpointStore checkpoints;
    private final MoveAttempts attempts;
    private final RequestSignature signature; // null: moves are refused (the control plane lacks the routers' secret)
    private final Vertx vertx;
    private final Settings settings;
    private final String owner;
    private final Supplier<Optional<String>> fence;
    private final ExecutorService workers;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Future<?>> runners = new ConcurrentHashMap<>();
    private final Set<String> parked = ConcurrentHashMap.newKeySet(); // runners told to stop, not stopped yet
    private final Map<String, CompletableFuture<MoveState>> stops = new ConcurrentHashMap<>();
    private final MoveMetrics metrics;

    /**
     * {@code self}: this control plane's base URL, the start of its owner name on the moves it
     * runs; {@code fence}: the leader-latch node while this control plane leads, empty otherwise.
     */
    public Movers(CuratorFramework curator, TopologyPaths paths, TopologyStore topology, ShopCounts counts, AuditLog audit,
                  RequestSignature signature, Vertx vertx, Settings settings, PrometheusRegistry registry, String self,
                  Supplier<Optional<String>> fence) {
        this.curator = curator;
        this.paths = paths;
        this.topology = topology;
        this.counts = counts;
        this.audit = audit;
        // one name per process: a restarted control plane at the same URL is another owner
        this.owner = self + "#" + UUID.randomUUID().toString().substring(0, 8);
        this.fence = fence;
        this.checkpoints = new CheckpointStore(curator, paths, fence);
        // 1, 2, 4, 8, 16 s: a cell back within half a minute resumes the move; one that is not aborts it
        this.attempts = new MoveAttempts(checkpoints, owner, () -> fence.get().isPresent(), Duration.ofSeconds(1), Duration.ofSeconds(30),
                5, Duration.ofMinutes(30));
        this.signature = signature;
        this.vertx = vertx;
        this.settings = settings;
        this.metrics = new MoveMetrics(registry, running::size);
        this.workers = Executors.newFixedThreadPool(settings.concurrentMoves(), Thread.ofPlatform().name("mover-", 1).factory());
    }

    /** Checks the preconditions, records the move and starts it; returns its first state. */
    public MoveState start(ShopId shop, CellId target, String actor) throws Exception {
        requireLead();
        if (signature == null) {
            throw new ProblemException(Problem.of(503, "moves need signing.secret (the routers' HMAC secret): the cutover asks the"
                    + " source cell's instances, which answer only signed requests"));
        }
        Placement placement = topology.placement(shop).orElseThrow(() -> new ProblemException(Problem.notFound("shop " + shop
                + " does not exist")));
        if (placement.state() != PlacementState.ACTIVE) {
            throw conflict("shop " + shop + " is " + placement.state() + " (a move of it is cutting over)");
        }
        if (placement.cellId().equals(target)) {
            throw new ProblemException(Problem.unprocessable("shop " + shop + " is already on " + target));
        }
        CellDescriptor to = topology.cell(target).orElseThrow(() -> new ProblemException(Problem.notFound("cell " + target
                + " does not exist")));
        if (to.state() != CellState.ACTIVE) {
            throw conflict("cell " + target + " is " + to.state() + ": only an ACTIVE cell takes shops");
        }
        int shops = counts.shopsOn(target);
        if (shops >= to.capacity().maxShops()) {
            throw conflict("cell " + target + " is full: " + shops + " shops of " + to.capacity().maxShops());
        }
        for (MoveState other : list()) {
            if (other.shopId() == shop.value() && UNFINISHED.contains(other.phase())) {
                throw conflict("shop " + shop + " is already moving: move " + other.moveId() + " is " + other.phase());
            }
            // An aborted move is ABORTED before its runner has removed its copy from its target: a new
            // move of the shop to that cell would copy rows the old runner then erases (ops/chaos, seed 2).
            if (other.shopId() == shop.value() && running.contains(other.moveId())) {
                throw conflict("shop " + shop + "'s move " + other.moveId() + " is " + other.phase() + " and still removing its copy"
                        + " from " + other.targetCell() + "; try again in a moment");
            }
        }
        CellDescriptor from = topology.cell(placement.cellId()).orElseThrow(() -> new IllegalStateException("shop " + shop
                + " is placed on " + placement.cellId() + ", which has no descriptor"));
        CellMysql source = mysql(from);
        CellMysql destination = mysql(to);
        String sourceSchema = schemaVersion(source, from);
        String targetSchema = schemaVersion(destination, to);
        if (!sourceSchema.equals(targetSchema)) {
            throw conflict("cells " + from.cellId() + " and " + target + " are at different schema versions (" + sourceSchema
                    + " and " + targetSchema + "): migrate the older one first");
        }
        String moveId = "move-" + shop + "-" + System.currentTimeMillis();
        CheckpointStore.Owned move = checkpoints.create(MoveState.start(moveId, shop.value(), from.cellId().value(), target.value(),
                owner, BinlogStreamer.binlogPosition(source)));
        audit.record(AuditEntry.of(actor, "shop.move", "shop/" + shop, Json.mapper().valueToTree(placement),
                Json.mapper().valueToTree(move.state())));
        LOG.info("event=move_started move={} shop={} from={} to={} actor={}", moveId, shop, from.cellId(), target, actor);
        submit(move);
        return move.state();
    }

    /**
     * Moves every shop off a DRAINING cell: one move per shop, each to the ACTIVE cell with the
     * most room left (counting the moves planned here), run {@code move.concurrent} at a time by
     * the mover threads. Shops already moving are left to their move. Returns the moves started.
     */
    public List<MoveState> evacuate(CellId cellId, String actor) throws Exception {
        requireLead();
        CellDescriptor draining = topology.cell(cellId).orElseThrow(() -> new ProblemException(Problem.notFound("cell " + cellId
                + " does not exist")));
        if (draining.state() != CellState.DRAINING) {
            throw conflict("cell " + cellId + " is " + draining.state() + ": drain it first (its shops would be placed back on it)");
        }
        Map<CellId, Integer> room = new HashMap<>();
        for (CellDescriptor cell : topology.cells()) {
            if (cell.state() == CellState.ACTIVE) {
                room.put(cell.cellId(), cell.capacity().maxShops() - counts.shopsOn(cell.cellId()));
            }
        }
        Set<Long> moving = new HashSet<>();
        for (MoveState m : unfinished()) {
            moving.add(m.shopId());
        }
        List<MoveState> started = new ArrayList<>();
        for (ShopId shop : shopsOn(cellId)) {
            if (moving.contains(shop.value())) {
                continue;
            }
            CellId target = room.entrySet().stream().filter(e -> e.getValue() > 0).max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey)
                    .orElseThrow(() -> conflict("no ACTIVE cell has room for the shops of " + cellId + " (" + started.size()
                            + " moves started)"));
            started.add(start(shop, target, actor));
            room.merge(target, -1, Integer::sum);
        }
        LOG.info("event=cell_evacuating cell={} moves={} actor={}", cellId, started.size(), actor);
        return started;
    }

    private List<ShopId> shopsOn(CellId cell) throws Exception {
        List<ShopId> shops = new ArrayList<>();
        for (String child : curator.getChildren().forPath(paths.shops())) {
            try {
                Placement placement = Json.read(curator.getData().forPath(paths.shops() + "/" + child), Placement.class);
                if (placement.cellId().equals(cell) && placement.state() == PlacementState.ACTIVE) {
                    shops.add(ShopId.parse(child));
                }
            } catch (KeeperException.NoNodeException gone) {
                // deleted while listed
            }
        }
        return shops;
    }

    public MoveState show(String moveId) throws Exception {
        return checkpoints.load(moveId).map(CheckpointStore.Versioned::state)
                .orElseThrow(() -> new ProblemException(Problem.notFound("move " + moveId + " does not exist")));
    }

    /** Every move recorded, newest first. */
    public List<MoveState> list() throws Exception {
        List<MoveState> all = new ArrayList<>();
        List<String> ids;
        try {
            ids = curator.getChildren().forPath(paths.moves());
        } catch (KeeperException.NoNodeException none) {
            return all;
        }
        for (String id : ids) {
            checkpoints.load(id).ifPresent(v -> all.add(v.state()));
        }
        all.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return all;
    }

    /** The moves not yet COMPLETED or ABORTED, newest first. */
    public List<MoveState> unfinished() throws Exception {
        return list().stream().filter(m -> UNFINISHED.contains(m.phase())).toList();
    }

    /**
     * Completes when this control plane's runner of the move stops, with the move's state then:
     * COMPLETED or ABORTED, or still unfinished when its runner gave up ({@link MoveAttempts}: logged
     * as move_failed; a restart resumes it). For a move no runner here holds, at once with its state.
     */
    public CompletableFuture<MoveState> whenStopped(String moveId) {
        CompletableFuture<MoveState> stopped = stops.get(moveId);
        if (stopped != null) {
            return stopped;
        }
        try {
            return CompletableFuture.completedFuture(show(moveId));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Stops a move before its cutover: its runner stops at its next save, the target's partial copy is removed. */
    public MoveState abort(String moveId, String actor) throws Exception {
        requireLead();
        CheckpointStore.Versioned read = checkpoints.load(moveId)
                .orElseThrow(() -> new ProblemException(Problem.notFound("move " + moveId + " does not exist")));
        if (!BEFORE_CUTOVER.contains(read.state().phase())) {
            throw conflict("move " + moveId + " is " + read.state().phase() + ": "
                    + (read.state().phase() == MovePhase.ABORTED ? "it is aborted already"
                    : "past the start of its cutover, it completes (or aborts) by itself"));
        }
        CheckpointStore.Owned taken = checkpoints.claim(read, owner);
        MoveState aborted = taken.update(s -> s.aborted("aborted by " + actor));
        LOG.info("event=move_abort_requested move={} actor={}", moveId, actor);
        if (!running.contains(moveId)) {
            submit(taken); // no runner here: clean the target up now
        }
        return aborted;
    }

    /**
     * Claims and resumes the unfinished moves (their control plane was killed, stopped or lost
     * the lead); returns how many. A move whose runner here is still stopping (the lead lost and
     * taken again) is claimed only once that runner stopped, or left to it, so one process never runs it twice.
     */
    public int resumeUnfinished() throws Exception {
        int resumed = 0;
        for (MoveState state : list()) {
            if (UNFINISHED.contains(state.phase())) {
                if (running.contains(state.moveId()) && !parked.contains(state.moveId())) {
                    continue; // running here already (the lead taken twice in a row: a reconnect and the latch)
                }
                awaitStopped(state.moveId(), RUNNER_STOP);
                if (running.contains(state.moveId())) {
                    // not stopped (a statement that takes long): it goes on as it is, this control plane leads again
                    LOG.warn("event=move_not_reclaimed move={} note=\"its runner here is still running\"", state.moveId());
                    continue;
                }
                Optional<CheckpointStore.Versioned> read = checkpoints.load(state.moveId());
                if (read.isPresent()) {
                    submit(checkpoints.claim(read.get(), owner));
                    resumed++;
                    LOG.info("event=move_resumed move={} phase={}", state.moveId(), state.phase());
                }
            }
        }
        return resumed;
    }

    /**
     * The lead is lost (or ZooKeeper is cut off): every runner here is interrupted and, at the
     * latest, stops at its next checkpoint save (the fence refuses it); waits up to
     * {@code RUNNER_STOP} for them. Their checkpoints stay as they were: the next leader resumes them.
     */
    public void park() {
        runners.forEach((moveId, runner) -> {
            parked.add(moveId);
            runner.cancel(true);
        });
        long deadline = System.nanoTime() + RUNNER_STOP.toNanos(); // one bound for all: a SIGTERM's stop is bounded too
        for (String moveId : List.copyOf(stops.keySet())) {
            awaitStopped(moveId, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        if (!running.isEmpty()) {
            LOG.warn("event=movers_still_stopping moves={} note=\"each stops at its next checkpoint save, which the fence refuses\"", running);
        }
    }

    private void awaitStopped(String moveId, Duration atMost) {
        CompletableFuture<MoveState> stopped = stops.get(moveId);
        if (stopped == null) {
            return;
        }
        try {
            stopped.handle((s, e) -> null).get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still stopping: reported by the caller
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void requireLead() {
        if (fence.get().isEmpty()) {
            throw new ProblemException(Problem.serviceUnavailable("this control plane does not lead now (the lead is changing"
                    + " hands): moves, rebalances and evacuations run on the leader; try again in a few seconds")
                    .withExtension("retryAfterSeconds", 2));
        }
    }

    private void submit(CheckpointStore.Owned move) {
        String moveId = move.state().moveId();
        CompletableFuture<MoveState> stopped = new CompletableFuture<>();
        stops.put(moveId, stopped);
        running.add(moveId);
        runners.put(moveId, workers.submit(() -> {
            try {
                attempts.runToTheEnd(move, this::runToTheEnd);
            } catch (InterruptedException stopping) {
                LOG.info("event=move_interrupted move={} note=\"this control plane stops or lost the lead: the leader resumes it\"", moveId);
            } finally {
                runners.remove(moveId);
                running.remove(moveId);
                parked.remove(moveId);
                try {
                    stopped.complete(show(moveId));
                } catch (Exception e) {
                    stopped.completeExceptionally(e);
                }
                stops.remove(moveId, stopped);
            }
        }));
    }

    private void runToTheEnd(CheckpointStore.Owned move) throws Exception {
        MoveState ended;
        try {
            ended = shopMove(move).run();
        } catch (CheckpointStore.OwnershipLost lost) {
            // Someone saved the move since: an abort request. Clean up as its new owner.
            CheckpointStore.Versioned now = checkpoints.load(move.state().moveId()).orElseThrow();
            if (now.state().phase() == MovePhase.ABORTED) {
                ended = shopMove(checkpoints.claim(now, owner)).run();
            } else {
                throw lost;
            }
        }
        if (ended.phase() == MovePhase.COMPLETED || ended.phase() == MovePhase.ABORTED) {
            metrics.ended(ended);
        }
    }

    private ShopMove shopMove(CheckpointStore.Owned move) throws Exception {
        MoveState state = move.state();
        CellDescriptor from = cell(state.sourceCell());
        CellDescriptor to = cell(state.targetCell());
        CellMysql source = mysql(from);
        CellMysql target = mysql(to);
        PlacementSwitch placements = new PlacementSwitch(curator, paths, audit, owner, fence);
        CartCarrier carts = new CartCarrier(vertx, Duration.ofSeconds(10));
        return new ShopMove(source, target, move, settings.runner(), () -> new Cutover(
                new Cutover.CellStores(source, from.endpoints().redis(), from.endpoints().memcached()),
                new Cutover.CellStores(target, to.endpoints().redis(), to.endpoints().memcached()),
                move, placements, new SourceQuiescence(curator, paths, signature, settings.quiescence(), Duration.ofMillis(20)),
                new OutboxDrain(settings.outboxDrain(), Duration.ofMillis(20)), carts, new CacheNamespace(Duration.ofSeconds(5)),
                settings.cutover()),
                placements, settings.erasers(), carts, from.endpoints().redis());
    }

    private CellDescriptor cell(String id) throws Exception {
        return topology.cell(CellId.of(id)).orElseThrow(() -> new IllegalStateException("cell " + id + " has no descriptor"));
    }

    private CellMysql mysql(CellDescriptor cell) {
        return CellMysql.of(cell, settings.credentials());
    }

    private static String schemaVersion(CellMysql mysql, CellDescriptor cell) {
        try (Connection c = mysql.connect(Duration.ofSeconds(10));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL"
                     + " ORDER BY installed_rank DESC LIMIT 1")) {
            return rs.next() ? rs.getString(1) : "none";
        } catch (SQLException e) {
            throw new ProblemException(Problem.of(503, "cell " + cell.cellId() + " mysql " + mysql.host() + ":" + mysql.port()
                    + " is not reachable: " + e.getMessage()));
        }
    }

    private static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, detail));
    }

    /** Parks the runners (see {@link #park}), then stops the mover threads. */
    @Override
    public void close() {
        park();
        workers.shutdownNow();
    }
}
