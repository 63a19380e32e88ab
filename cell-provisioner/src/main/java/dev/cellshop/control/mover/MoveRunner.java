package dev.cellshop.control.mover;

import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a move up to the cutover: tails the source's binlog from the checkpoint's applied
 * position, copies what the checkpoint says is not copied yet, then applies the binlog
 * until the target is at most {@code maxLagTransactions} behind the source — or aborts,
 * with that reason, when it is not there after {@code catchUpTimeout} (a write load above
 * the apply rate never converges; the move must not loop forever). Every copied batch and
 * every second of catch-up is checkpointed through the move's {@link CheckpointStore.Owned},
 * so a killed runner is resumed by another one from there (and a runner whose move was
 * claimed by another stops at its next save). Placement is not touched: the cutover is
 * the next step's.
 */
public final class MoveRunner {

    private static final Logger LOG = LoggerFactory.getLogger(MoveRunner.class);
    private static final Duration CHECK_EVERY = Duration.ofMillis(100);
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);

    /**
     * {@code maxLagTransactions}: source transactions (of any shop) the target may still be
     * behind to count as caught up; {@code queueCapacity}: transactions the tail reads ahead
     * of the applier, and the copy pauses while the applier is more than half of it behind.
     */
    public record Settings(RowCopier.Options copy, long maxLagTransactions, Duration catchUpTimeout, int queueCapacity) {

        public Settings {
            if (maxLagTransactions < 0 || queueCapacity < 2 || catchUpTimeout.isNegative()) {
                throw new IllegalArgumentException("invalid move settings: max lag " + maxLagTransactions + " (>= 0), queue capacity "
                        + queueCapacity + " (>= 2), catch-up timeout " + catchUpTimeout + " (not negative)");
            }
        }
    }

    private final CellMysql source;
    private final CellMysql target;
    private final CheckpointStore.Owned move;
    private final Settings settings;

    public MoveRunner(CellMysql source, CellMysql target, CheckpointStore.Owned move, Settings settings) {
        this.source = source;
        this.target = target;
        this.move = move;
        this.settings = settings;
    }

    /** Runs to CAUGHT_UP or ABORTED and returns the saved state; an ABORTED move is returned as it is. */
    public MoveState run() throws Exception {
        MoveState state = move.state();
        if (state.phase() == MovePhase.ABORTED) {
            return state;
        }
        try {
            List<ShopTable> tables;
            try (Connection c = source.connect()) {
                tables = ShopTables.discover(c, source.database());
            }
            GtidPosition from = GtidPosition.parse(state.appliedGtid());
            try (BinlogStreamer streamer = new BinlogStreamer(source, state.shopId(), tables, from, settings.queueCapacity());
                 ChangeApplier applier = new ChangeApplier(target, from);
                 ApplyLoop loop = new ApplyLoop(streamer, applier)) {
                streamer.start(Duration.ofSeconds(10));
                loop.start();
                Applied applied = new Applied(loop, state.appliedTransactions());
                if (state.phase() == MovePhase.COPYING) {
                    copy(tables, state, streamer, loop, applied);
                    move.update(s -> applied.into(s).withPhase(MovePhase.CATCHING_UP));
                }
                return catchUp(loop, applied);
            }
        } catch (MoveAbort abort) {
            LOG.warn("event=move_aborted move={} reason=\"{}\"", state.moveId(), abort.getMessage());
            return move.update(s -> s.aborted(abort.getMessage()));
        }
    }

    /** The applied position and count of this run, on top of what earlier runs applied. */
    private record Applied(ApplyLoop loop, long before) {
        MoveState into(MoveState s) {
            return s.withApplied(loop.applied(), before + loop.applier().appliedTransactions());
        }
    }

    private void copy(List<ShopTable> tables, MoveState state, BinlogStreamer streamer, ApplyLoop loop, Applied applied) throws Exception {
        Map<String, KeyCursor> cursors = new HashMap<>();
        Map<String, Long> copied = new HashMap<>();
        List<ShopTable> remaining = tables.stream().filter(t -> {
            MoveState.TableCheckpoint checkpoint = state.tables().get(t.name());
            if (checkpoint != null) {
                cursors.put(t.name(), KeyCursor.fromJson(t, checkpoint.cursor()));
                copied.put(t.name(), checkpoint.copied());
            }
            return checkpoint == null || !checkpoint.done();
        }).toList();
        // the copy yields to the applier, but not forever: held longer than the catch-up bound, the move aborts
        AtomicLong heldSince = new AtomicLong();
        Throttle applierBehind = Throttle.of(() -> {
            loop.abortReason().ifPresent(reason -> {
                throw new MoveAbort(reason);
            });
            if (loop.applied().transactionsBehind(streamer.streamedPosition()) <= settings.queueCapacity() / 2) {
                heldSince.set(0);
                return false;
            }
            long now = System.nanoTime();
            heldSince.compareAndSet(0, now);
            if (now - heldSince.get() > settings.catchUpTimeout().toNanos()) {
                throw new MoveAbort("the copy was held for more than " + settings.catchUpTimeout().toSeconds()
                        + " s: the binlog applier stays more than " + settings.queueCapacity() / 2 + " transactions behind the tail");
            }
            return true;
        }, CHECK_EVERY);
        RowCopier[] copier = new RowCopier[1];
        copier[0] = new RowCopier(source, target, state.shopId(), settings.copy(), applierBehind, (table, cursor, rows, done) -> {
            CopyProgress.Table progress = copier[0].progress().tables().get(table.name());
            move.update(s -> applied.into(s.withTable(table.name(),
                    new MoveState.TableCheckpoint(cursor.toJson(), progress.copied(), progress.estimated(), done))));
        });
        copier[0].copy(remaining, cursors, copied);
    }

    private MoveState catchUp(ApplyLoop loop, Applied applied) throws Exception {
        long deadline = System.nanoTime() + settings.catchUpTimeout().toNanos();
        long nextCheckpoint = 0;
        while (true) {
            GtidPosition head = BinlogStreamer.binlogPosition(source);
            long behind = loop.applied().transactionsBehind(head);
            if (behind <= settings.maxLagTransactions()) {
                return move.update(s -> applied.into(s).withPhase(MovePhase.CAUGHT_UP));
            }
            if (System.nanoTime() > deadline) {
                throw new MoveAbort("catch-up did not converge: still " + behind + " transactions behind the source after "
                        + settings.catchUpTimeout().toSeconds() + " s (the shop's write load may be above the apply rate)");
            }
            if (System.nanoTime() > nextCheckpoint) {
                move.update(applied::into);
                nextCheckpoint = System.nanoTime() + CHECKPOINT_EVERY.toNanos();
            }
            loop.awaitApplied(head, CHECK_EVERY);
        }
    }
}
