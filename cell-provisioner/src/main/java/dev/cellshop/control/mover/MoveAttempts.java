package dev.cellshop.control.mover;

import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a move to its end through failures. A runner that fails (a cell's MySQL killed mid-copy,
 * ZooKeeper unreachable for a checkpoint) leaves its checkpoint as it was; left alone, the shop
 * would stay "moving" (every new move of it refused) and the target would keep its partial
 * copy until the control plane restarted. Instead the move is resumed from its checkpoint after
 * a pause that doubles up to {@code maxPause}; a move that still fails before its cutover after
 * {@code attemptsBeforeAbort} attempts is aborted (its target copy removed by the next attempt),
 * as an operator would. A move past its freeze is never aborted here: the cutover decides its
 * own fate, and a switched move must complete; those are retried until {@code giveUpAfter}, and
 * after that only a restart resumes them. Nothing is retried once this control plane no
 * longer leads ({@code leads}): the move is parked, for the leader to resume.
 *
 * <p>Blocking: the move's own worker thread sleeps between attempts.
 */
final class MoveAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(MoveAttempts.class);
    private static final Set<MovePhase> BEFORE_CUTOVER = Set.of(MovePhase.COPYING, MovePhase.CATCHING_UP, MovePhase.CAUGHT_UP);

    /** One run of the move from its checkpoint. */
    interface Attempt {
        void run(CheckpointStore.Owned move) throws Exception;
    }

    private final CheckpointStore checkpoints;
    private final String owner;
    private final BooleanSupplier leads;
    private final Duration firstPause;
    private final Duration maxPause;
    private final int attemptsBeforeAbort;
    private final Duration giveUpAfter;

    MoveAttempts(CheckpointStore checkpoints, String owner, BooleanSupplier leads, Duration firstPause, Duration maxPause,
                 int attemptsBeforeAbort, Duration giveUpAfter) {
        this.checkpoints = checkpoints;
        this.owner = owner;
        this.leads = leads;
        this.firstPause = firstPause;
        this.maxPause = maxPause;
        this.attemptsBeforeAbort = attemptsBeforeAbort;
        this.giveUpAfter = giveUpAfter;
    }

    /** Returns once an attempt ran to its end, or the move was given up (logged); throws only when interrupted. */
    void runToTheEnd(CheckpointStore.Owned first, Attempt attempt) throws InterruptedException {
        String moveId = first.state().moveId();
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        Duration pause = firstPause;
        CheckpointStore.Owned move = first;
        for (int attempts = 1; ; attempts++) {
            if (!leads.getAsBoolean()) {
                LOG.info("event=move_parked move={} note=\"this control plane does not lead: the leader resumes it from its checkpoint\"",
                        moveId);
                return;
            }
            try {
                if (move == null) {
                    move = reclaim(moveId, attempts);
                }
                attempt.run(move);
                return;
            } catch (CheckpointStore.OwnershipLost lost) {
                if (!stillOurs(moveId)) {
                    LOG.info("event=move_released move={} reason=\"{}\"", moveId, lost.getMessage());
                    return; // another control plane took it over: it is that one's to finish
                }
                // Our own save, retried by Curator after a connection loss had hidden its success:
                // the version moved on under our name. Not a rival: go on from the checkpoint.
                LOG.warn("event=move_attempt_failed move={} attempt={} retry_in_ms={} error=\"{}\" note=\"the checkpoint is still"
                        + " this control plane's\"", moveId, attempts, pause.toMillis(), lost.getMessage());
            } catch (InterruptedException stopping) {
                throw stopping;
            } catch (Exception e) {
                if (System.nanoTime() - deadline >= 0) {
                    LOG.error("event=move_failed move={} attempts={} error=\"{}\" note=\"given up; a restart of the control plane resumes it\"",
                            moveId, attempts, e.getMessage(), e);
                    return;
                }
                LOG.warn("event=move_attempt_failed move={} attempt={} retry_in_ms={} error=\"{}\"", moveId, attempts, pause.toMillis(),
                        e.getMessage());
            }
            move = null;
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
        }
    }

    /**
     * Whether the move's checkpoint still names this control plane. When ZooKeeper cannot tell
     * us now, we try again later, as for any failure (only the leader runs moves, and the next
     * attempt first checks that this control plane still leads).
     */
    private boolean stillOurs(String moveId) {
        try {
            return checkpoints.load(moveId).map(read -> owner.equals(read.state().owner())).orElse(false);
        } catch (Exception e) {
            return true;
        }
    }

    /** The move's checkpoint claimed again; aborted first when it has failed too often before its cutover. */
    private CheckpointStore.Owned reclaim(String moveId, int attempt) throws Exception {
        CheckpointStore.Owned move = checkpoints.claim(checkpoints.load(moveId).orElseThrow(
                () -> new IllegalStateException("move " + moveId + " has no checkpoint")), owner);
        if (attempt > attemptsBeforeAbort && BEFORE_CUTOVER.contains(move.state().phase())) {
            LOG.warn("event=move_aborting move={} attempts={} phase={}", moveId, attempt - 1, move.state().phase());
            move.update(s -> s.aborted("failed " + (attempt - 1) + " times before its cutover; the last failure is in the control plane's log"));
        }
        return move;
    }
}
