package dev.cellshop.control.rebalance;

import dev.cellshop.control.mover.MoveState;
import dev.cellshop.control.mover.Movers;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.problem.ProblemException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rebalance's moves, started in plan order on a thread of its own, at most
 * {@code concurrent} at a time: a move starts only when an earlier one stopped, so each is
 * checked against the topology as it is then (Movers' preconditions, and the shop still on
 * the cell it was planned from) instead of all being queued at once. A move that cannot start
 * is recorded with the reason and the rest go on.
 */
final class RebalanceRun {

    private static final Logger LOG = LoggerFactory.getLogger(RebalanceRun.class);

    private final String id;
    private final RebalancePlan plan;
    private final Movers movers;
    private final TopologyStore topology;
    private final int concurrent;
    private final String actor;
    private final String startedAt = Instant.now().toString();
    private final AtomicReferenceArray<RebalanceView.Move> moves;
    private volatile String endedAt;
    private Thread thread;

    RebalanceRun(String id, RebalancePlan plan, Movers movers, TopologyStore topology, int concurrent, String actor) {
        this.id = id;
        this.plan = plan;
        this.movers = movers;
        this.topology = topology;
        this.concurrent = concurrent;
        this.actor = actor;
        this.moves = new AtomicReferenceArray<>(plan.moves().stream().map(RebalanceView.Move::planned)
                .toArray(RebalanceView.Move[]::new));
    }

    /** Starts the run; {@code ended} is called on its thread with the final view once every move stopped. */
    void start(Consumer<RebalanceView> ended) {
        thread = Thread.ofPlatform().name(id).daemon().start(() -> {
            try {
                run();
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt(); // the control plane stops; started moves resume at its next start
            } finally {
                endedAt = Instant.now().toString();
                LOG.info("event=rebalance_ended rebalance={} moves={}", id, moves.length());
                ended.accept(view());
            }
        });
    }

    boolean running() {
        return endedAt == null;
    }

    RebalanceView view() {
        return RebalanceView.of(id, false, running(), startedAt, endedAt, plan, snapshot());
    }

    /** The view with the phases of the moves still going read now (blocking: ZooKeeper). */
    RebalanceView liveView() {
        List<RebalanceView.Move> now = snapshot().stream().map(m -> {
            if (m.moveId() == null || m.stopped()) {
                return m;
            }
            try {
                return m.seen(m.moveId(), movers.show(m.moveId()).phase(), null);
            } catch (Exception e) {
                return m; // as last seen
            }
        }).toList();
        return RebalanceView.of(id, false, running(), startedAt, endedAt, plan, now);
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private List<RebalanceView.Move> snapshot() {
        RebalanceView.Move[] all = new RebalanceView.Move[moves.length()];
        for (int i = 0; i < all.length; i++) {
            all[i] = moves.get(i);
        }
        return List.of(all);
    }

    private void run() throws InterruptedException {
        Semaphore slots = new Semaphore(concurrent);
        for (int i = 0; i < moves.length(); i++) {
            slots.acquire();
            int index = i;
            RebalanceView.Move move = moves.get(i);
            try {
                Optional<String> moved = movedSincePlanned(move);
                if (moved.isPresent()) {
                    moves.set(index, move.seen(null, null, moved.get()));
                    slots.release();
                    continue;
                }
                MoveState started = movers.start(move.shopId(), move.to(), actor);
                moves.set(index, move.seen(started.moveId(), started.phase(), null));
                movers.whenStopped(started.moveId()).whenComplete((stopped, failure) -> {
                    moves.set(index, failure != null
                            ? move.seen(started.moveId(), null, "its runner failed: " + failure.getMessage())
                            : move.seen(started.moveId(), stopped.phase(), why(stopped)));
                    slots.release();
                });
            } catch (ProblemException refused) {
                moves.set(index, move.seen(null, null, "not started: " + refused.problem().detail()));
                slots.release();
            } catch (Exception e) {
                LOG.warn("event=rebalance_move_not_started rebalance={} shop={} error=\"{}\"", id, move.shopId(), e.toString());
                moves.set(index, move.seen(null, null, "not started: " + e));
                slots.release();
            }
        }
        slots.acquire(concurrent); // every started move has stopped
    }

    private static String why(MoveState stopped) {
        return switch (stopped.phase()) {
            case COMPLETED -> null;
            case ABORTED -> stopped.abortReason();
            // the runner threw (move_failed in the log); the move resumes at the control plane's next start
            default -> "its runner stopped in " + stopped.phase() + " (see event=move_failed in the control plane's log)";
        };
    }

    private Optional<String> movedSincePlanned(RebalanceView.Move move) throws Exception {
        Optional<Placement> now = topology.placement(move.shopId());
        if (now.isEmpty()) {
            return Optional.of("not started: shop " + move.shopId() + " no longer exists");
        }
        return now.get().cellId().equals(move.from()) ? Optional.empty()
                : Optional.of("not started: shop " + move.shopId() + " is on " + now.get().cellId() + " now, not on "
                + move.from() + " as planned");
    }
}
