package dev.cellshop.control.mover;

import dev.cellshop.cell.schema.ShopFences;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switch of a caught-up move (SPEC "A shop move", step 4), in this order:
 * <ol>
 * <li>placement FROZEN at the next epoch: routers hold the shop's requests, the source's
 *     placement fence admits none;</li>
 * <li>the source's fence row FROZEN at that epoch ({@link ShopFences}): the database itself now
 *     refuses every write of the shop routed at an older epoch, from whichever instance, however
 *     stale its view (one cut off from ZooKeeper is not even asked in the next step); the
 *     update waits for the write transactions already past the fence;</li>
 * <li>{@link SourceQuiescence}: every registered source instance has seen the freeze and
 *     finished the shop's requests (its carts in Redis, which the fence row does not guard);</li>
 * <li>the source's binlog applied up to its position now (the shop's last write);</li>
 * <li>{@link Verifier}: every table of the shop equal on both sides. The whole shop is
 *     compared before the freeze, while it still takes writes; the pause compares again only
 *     the chunks that differed then and the rows the applier changed since
 *     ({@link ChangedKeys}), so the pause does not grow with the shop's size;</li>
 * <li>{@link CartCarrier}: carts to the target's Redis; {@link CacheNamespace}: the target's
 *     cache starts fresh;</li>
 * <li>{@link OutboxDrain}: the source's relay has published the shop's events (awaited from
 *     step 3 on, beside the others);</li>
 * <li>the target's fence row ACTIVE at the switch's epoch, then the placement ACTIVE on the
 *     target at that epoch: held requests go there.</li>
 * </ol>
 * Any failure before the last step puts the placement back ACTIVE on the source (a new
 * epoch too) and aborts the move with the reason; the target's copy is then removed by the
 * caller. The pause (freeze to switch) is measured and kept in the checkpoint.
 *
 * <p>Resumable: a cutover killed after the freeze finds the shop FROZEN on the source and
 * goes on from step 2 (every step is idempotent); one killed after the switch finds the
 * shop ACTIVE on the target and only records it.
 */
public final class Cutover {

    private static final Logger LOG = LoggerFactory.getLogger(Cutover.class);

    /** Where the source and target cells keep a shop's state outside MySQL. */
    public record CellStores(CellMysql mysql, String redis, String memcached) {
    }

    /**
     * Bounds of the steps; a step past its bound aborts the move. {@code recheckKeyLimit}:
     * past that many rows changed during the cutover, the pause verifies the whole shop.
     */
    public record Settings(Duration finalApply, int verifyChunkRows, int queueCapacity, int recheckKeyLimit) {
    }

    /** Past this many chunks differing in the live pass (a shop rewritten while read), the pause verifies everything. */
    private static final int MAX_DIFFERING_CHUNKS = 1000;
    /** Rounds of narrowing the suspects while the shop is live; each one only looks at what changed during the last. */
    private static final int NARROWING_ROUNDS = 4;
    /** Few enough suspects to compare in the pause: a few queries. */
    private static final int FEW_SUSPECTS = 200;

    private final CellStores source;
    private final CellStores target;
    private final CheckpointStore.Owned move;
    private final PlacementSwitch placements;
    private final SourceQuiescence quiescence;
    private final OutboxDrain outbox;
    private final CartCarrier carts;
    private final CacheNamespace cache;
    private final Settings settings;

    public Cutover(CellStores source, CellStores target, CheckpointStore.Owned move, PlacementSwitch placements,
                   SourceQuiescence quiescence, OutboxDrain outbox, CartCarrier carts, CacheNamespace cache, Settings settings) {
        this.source = source;
        this.target = target;
        this.move = move;
        this.placements = placements;
        this.quiescence = quiescence;
        this.outbox = outbox;
        this.carts = carts;
        this.cache = cache;
        this.settings = settings;
    }

    /** Runs the cutover of a CAUGHT_UP (or interrupted CUTTING_OVER) move to SWITCHED or ABORTED; returns the saved state. */
    public MoveState run() throws Exception {
        MoveState state = move.state();
        if (state.phase() == MovePhase.SWITCHED || state.phase() == MovePhase.COMPLETED || state.phase() == MovePhase.ABORTED) {
            return state; // decided already: run again, it changes nothing
        }
        ShopId shop = ShopId.of(state.shopId());
        CellId from = CellId.of(state.sourceCell());
        CellId to = CellId.of(state.targetCell());
        PlacementSwitch.Seen seen = placements.read(shop);
        Placement now = seen.placement();
        if (now.state() == PlacementState.ACTIVE && now.cellId().equals(to) && state.phase() == MovePhase.CUTTING_OVER) {
            return move.update(s -> s.withCutover(MovePhase.SWITCHED, record(s, 0, now.epoch(), 0, 0, 0, 0)));
        }
        if (state.phase() != MovePhase.CAUGHT_UP && state.phase() != MovePhase.CUTTING_OVER) {
            throw new IllegalStateException("move " + state.moveId() + " is " + state.phase() + "; a cutover needs it CAUGHT_UP");
        }
        if (!now.cellId().equals(from)) {
            return abort(state, null, "shop " + shop + " is placed on " + now.cellId() + ", not on the move's source " + from);
        }
        List<ShopTable> tables;
        try (Connection c = source.mysql().connect()) {
            tables = ShopTables.discover(c, source.mysql().database());
        }
        GtidPosition applied = GtidPosition.parse(state.appliedGtid());
        // Everything that takes a connection is made before the freeze: the pause holds shoppers' requests.
        MoveState[] decided = {null};
        try (BinlogStreamer streamer = new BinlogStreamer(source.mysql(), state.shopId(), tables, applied, settings.queueCapacity());
             ChangeApplier applier = new ChangeApplier(target.mysql(), applied);
             ApplyLoop loop = new ApplyLoop(streamer, applier);
             CartCarrier.Session cartSession = carts.open(source.redis(), target.redis());
             CacheNamespace.Session cacheSession = cache.open(target.memcached());
             Connection sourceConnection = source.mysql().connect();
             Connection targetConnection = target.mysql().connect()) {
            if (now.state() == PlacementState.ACTIVE) {
                // The row the freeze will update exists before the pause (shops placed before fences
                // existed have none): an UPDATE of a row waits on the writers' shared locks whatever
                // the isolation level, where an INSERT into a gap would rely on gap locks.
                ShopFences.raise(sourceConnection, shop.value(), ShopFences.State.ACTIVE, now.epoch(), settings.finalApply());
            }
            ChangedKeys changed = applier.trackChanges(settings.recheckKeyLimit());
            streamer.start(Duration.ofSeconds(10));
            loop.start();
            Verified verified = verifyLive(state, loop, tables, changed);
            quiescence.warmUp(shop, from, now.epoch() + 1);
            decided[0] = switchOver(state, seen, tables, new Prepared(loop, applier, cartSession, cacheSession, sourceConnection,
                    targetConnection, verified, changed));
        } catch (Exception e) {
            if (decided[0] != null) {
                LOG.warn("event=cutover_close_failed move={} error=\"{}\"", state.moveId(), e.getMessage());
            } else {
                // could not prepare: nothing was frozen by this run (a frozen shop from an earlier run is thawed)
                return abort(state, now.state() == PlacementState.FROZEN ? seen : null, "cutover could not start: " + e.getMessage());
            }
        }
        return decided[0];
    }

    /** What the pause uses, connected (and the live shop verified) before it starts. */
    private record Prepared(ApplyLoop loop, ChangeApplier applier, CartCarrier.Session carts, CacheNamespace.Session cache,
                            Connection source, Connection target, Verified verified, ChangedKeys changed) {
    }

    /**
     * The live shop's verification: its totals; what still differed at the last round (null:
     * the pass could not narrow, the pause verifies everything); the changed-keys mark of that round.
     */
    private record Verified(List<Verifier.TableSum> tables, Verifier.Suspects suspects, long mark) {
    }

    /**
     * The whole shop compared while it takes writes, then the differing chunks and the rows
     * changed meanwhile compared again, round after round, each round shorter than the last,
     * until few are left: the pause then compares those and the last round's changes only.
     */
    private Verified verifyLive(MoveState state, ApplyLoop loop, List<ShopTable> tables, ChangedKeys changed) throws Exception {
        long start = System.nanoTime();
        Verifier verifier = verifier(state);
        awaitSource(loop); // fewer chunks in flux
        Verifier.Live live = verifier.verifyLive(tables, MAX_DIFFERING_CHUNKS);
        Verifier.Suspects suspects = live.complete() ? new Verifier.Suspects(live.differing(), Map.of()) : null;
        long mark = 0;
        StringBuilder rounds = new StringBuilder();
        for (int round = 0; suspects != null && round < NARROWING_ROUNDS && !changed.overflowed(); round++) {
            awaitSource(loop);
            ChangedKeys.Since since = changed.since(mark);
            if (round > 0 && suspects.chunks().size() + suspects.keyCount() + since.size() <= FEW_SUSPECTS) {
                break;
            }
            mark = since.mark();
            suspects = verifier.narrow(suspects.plus(since.keys()));
            rounds.append(rounds.isEmpty() ? "" : ",").append(since.size()).append("->").append(suspects.chunks().size() + suspects.keyCount());
        }
        LOG.info("event=move_verified_live move={} shop={} rows={} differing_chunks={} narrowed=\"{}\" ms={}", state.moveId(),
                state.shopId(), live.tables().stream().mapToLong(Verifier.TableSum::rows).sum(), live.differing().size(), rounds,
                (System.nanoTime() - start) / 1_000_000);
        return new Verified(live.tables(), suspects, mark);
    }

    private void awaitSource(ApplyLoop loop) throws Exception {
        loop.awaitApplied(BinlogStreamer.binlogPosition(source.mysql()), settings.finalApply());
    }

    private Verifier verifier(MoveState state) {
        return new Verifier(source.mysql(), target.mysql(), state.shopId(), settings.verifyChunkRows());
    }

    private MoveState switchOver(MoveState state, PlacementSwitch.Seen seen, List<ShopTable> tables, Prepared prepared) throws Exception {
        ShopId shop = ShopId.of(state.shopId());
        CellId from = CellId.of(state.sourceCell());
        CellId to = CellId.of(state.targetCell());
        long start = System.nanoTime();
        PlacementSwitch.Seen frozen = seen.placement().state() == PlacementState.FROZEN ? seen
                : placements.freeze(shop, seen, state.moveId());
        move.update(s -> s.withCutover(MovePhase.CUTTING_OVER, record(s, frozen.placement().epoch(), 0, 0, 0, 0, 0)));
        LOG.info("event=move_frozen move={} shop={} cell={} epoch={}", state.moveId(), shop, from, frozen.placement().epoch());
        StepTimes steps = new StepTimes(start);
        try {
            ShopFences.raise(prepared.source(), shop.value(), ShopFences.State.FROZEN, frozen.placement().epoch(), settings.finalApply());
            steps.done("fence");
            quiescence.await(shop, from, frozen.placement().epoch());
            steps.done("quiesce");
            // The outbox is not moved, so its drain and the last apply are independent: the source's
            // relay publishes while the rows are applied and compared; the switch waits for both, so
            // the shop's events from the source all come before any from the target.
            FutureTask<Duration> drained = new FutureTask<>(() -> outbox.await(shop, prepared.source()));
            Thread.ofVirtual().name("cutover-outbox-" + shop).start(drained);
            GtidPosition head = BinlogStreamer.binlogPosition(source.mysql());
            if (!prepared.loop().awaitApplied(head, settings.finalApply())) {
                throw new MoveAbort("the last changes were not applied within " + settings.finalApply().toMillis() + " ms (applied "
                        + prepared.loop().applied() + ", source at " + head + ")");
            }
            GtidPosition applied = prepared.loop().applied();
            long transactions = prepared.applier().appliedTransactions();
            move.update(s -> s.withApplied(applied, s.appliedTransactions() + transactions));
            steps.done("apply");
            Verifier.Suspects suspects = prepared.verified().suspects();
            boolean recheck = suspects != null && !prepared.changed().overflowed();
            if (recheck) {
                suspects = suspects.plus(prepared.changed().since(prepared.verified().mark()).keys());
            }
            Verifier.Result verified = recheck ? verifier(state).confirm(prepared.verified().tables(), suspects)
                    : verifier(state).verify(tables);
            if (!verified.equal()) {
                throw new MoveAbort("verification failed: " + verified.difference().orElseThrow());
            }
            steps.done("verify");
            CartCarrier.Carried carried = prepared.carts().carry(shop);
            steps.done("carts");
            prepared.cache().startFresh(shop);
            steps.done("cache");
            awaitDrained(drained);
            steps.done("outbox");
            ShopFences.raise(prepared.target(), shop.value(), ShopFences.State.ACTIVE, frozen.placement().activateOn(to).epoch(),
                    settings.finalApply());
            PlacementSwitch.Seen switched = placements.activateOn(shop, frozen, to, state.moveId());
            steps.done("switch");
            long pauseMillis = (System.nanoTime() - start) / 1_000_000;
            long rows = verified.rows();
            LOG.info("event=move_switched move={} shop={} from={} to={} epoch={} pause_ms={} steps_ms=\"{}\" rows={} rechecked={} carts={}",
                    state.moveId(), shop, from, to, switched.placement().epoch(), pauseMillis, steps, rows,
                    recheck ? suspects.chunks().size() + " chunks, " + suspects.keyCount() + " keys" : "all", carried.carts());
            return move.update(s -> s.withCutover(MovePhase.SWITCHED, record(s, frozen.placement().epoch(), switched.placement().epoch(),
                    pauseMillis, verified.tables().size(), rows, carried.carts())));
        } catch (Exception e) {
            String reason = e instanceof MoveAbort ? e.getMessage() : "cutover failed: " + e.getMessage();
            return abort(state, frozen, reason);
        }
    }

    private static void awaitDrained(FutureTask<Duration> drained) throws Exception {
        try {
            drained.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Back to the source: ACTIVE there at a new epoch (when it was frozen), the move ABORTED with the reason. */
    private MoveState abort(MoveState state, PlacementSwitch.Seen frozen, String reason) throws Exception {
        if (frozen != null) {
            placements.activateOn(ShopId.of(state.shopId()), frozen, CellId.of(state.sourceCell()), state.moveId());
        }
        LOG.warn("event=move_aborted move={} shop={} phase=cutover reason=\"{}\"", state.moveId(), state.shopId(), reason);
        return move.update(s -> s.aborted(reason));
    }

    /** Milliseconds each step of the pause took, for the log: where a long pause went. */
    private static final class StepTimes {
        private final StringBuilder text = new StringBuilder();
        private long last;

        StepTimes(long start) {
            this.last = start;
        }

        void done(String step) {
            long now = System.nanoTime();
            text.append(text.isEmpty() ? "" : " ").append(step).append('=').append((now - last) / 1_000_000);
            last = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static MoveState.CutoverRecord record(MoveState s, long frozenEpoch, long switchedEpoch, long pauseMillis, int tables,
                                                  long rows, int carts) {
        MoveState.CutoverRecord before = s.cutover();
        boolean freezing = before == null || before.frozenEpoch() == 0 || before.frozenEpoch() != frozenEpoch && frozenEpoch != 0;
        return new MoveState.CutoverRecord(frozenEpoch != 0 || before == null ? frozenEpoch : before.frozenEpoch(), switchedEpoch,
                pauseMillis, tables, rows, carts, freezing ? java.time.Instant.now().toString() : before.frozenAt());
    }
}
