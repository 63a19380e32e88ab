package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A move whose runner fails (as when its source's MariaDB is killed mid-copy: ops/chaos found
 * such a move stuck for good, the shop refused every new move and the target kept its partial
 * copy) is resumed from its checkpoint, and aborted when it keeps failing before its cutover.
 * Checkpoints live on the platform's ZooKeeper under a root of the test's own.
 */
@ExtendWith(LocalPlatformExtension.class)
class MoveAttemptsIT {

    private static final String OWNER = "it-owner";
    private ZooKeeperMoves zookeeper;
    private MoveAttempts attempts;

    @BeforeEach
    void zookeeper(PlatformEndpoints platform) throws InterruptedException {
        zookeeper = new ZooKeeperMoves(platform);
        attempts = new MoveAttempts(zookeeper.store, OWNER, () -> true, Duration.ofMillis(10), Duration.ofMillis(40), 3, Duration.ofMinutes(1));
    }

    @AfterEach
    void close() {
        zookeeper.close();
    }

    @Test
    void a_move_whose_runner_failed_is_resumed_from_its_checkpoint_until_it_ends() throws Exception {
        CheckpointStore.Owned move = newMove();
        List<MovePhase> runs = new CopyOnWriteArrayList<>();

        attempts.runToTheEnd(move, owned -> {
            runs.add(owned.state().phase());
            if (runs.size() == 1) {
                owned.update(s -> s.withPhase(MovePhase.CATCHING_UP)); // progress saved before the failure
            }
            if (runs.size() < 3) {
                throw new SQLException("Communications link failure");
            }
            owned.update(s -> s.withPhase(MovePhase.COMPLETED));
        });

        assertThat(runs).as("each attempt goes on from the checkpoint the last one saved")
                .containsExactly(MovePhase.COPYING, MovePhase.CATCHING_UP, MovePhase.CATCHING_UP);
        assertThat(zookeeper.store.load(move.state().moveId()).orElseThrow().state().phase()).isEqualTo(MovePhase.COMPLETED);
    }

    @Test
    void a_move_that_keeps_failing_before_its_cutover_is_aborted_and_its_abort_run_cleans_up() throws Exception {
        CheckpointStore.Owned move = newMove();
        List<MovePhase> runs = new CopyOnWriteArrayList<>();

        attempts.runToTheEnd(move, owned -> {
            runs.add(owned.state().phase());
            if (owned.state().phase() != MovePhase.ABORTED) {
                throw new SQLException("Communications link failure");
            }
        });

        assertThat(runs).containsExactly(MovePhase.COPYING, MovePhase.COPYING, MovePhase.COPYING, MovePhase.ABORTED);
        MoveState ended = zookeeper.store.load(move.state().moveId()).orElseThrow().state();
        assertThat(ended.phase()).isEqualTo(MovePhase.ABORTED);
        assertThat(ended.abortReason()).contains("failed 3 times before its cutover");
    }

    @Test
    void a_move_past_its_freeze_is_retried_but_never_aborted_here() throws Exception {
        CheckpointStore.Owned move = newMove();
        move.update(s -> s.withPhase(MovePhase.SWITCHED));
        List<MovePhase> runs = new CopyOnWriteArrayList<>();

        attempts.runToTheEnd(move, owned -> {
            runs.add(owned.state().phase());
            if (runs.size() < 6) {
                throw new SQLException("the source's MariaDB is down: its copy cannot be erased yet");
            }
            owned.update(s -> s.withPhase(MovePhase.COMPLETED));
        });

        assertThat(runs).hasSize(6).containsOnly(MovePhase.SWITCHED);
    }

    /** Seen in ops/test's chaos run: a checkpoint save retried by Curator after ZooKeeper paused came back as "lost". */
    @Test
    void a_checkpoint_that_moved_on_under_our_own_name_is_not_a_rival_and_the_move_goes_on() throws Exception {
        CheckpointStore.Owned move = newMove();
        List<MovePhase> runs = new CopyOnWriteArrayList<>();

        attempts.runToTheEnd(move, owned -> {
            runs.add(owned.state().phase());
            if (runs.size() == 1) {
                // our own earlier save landed although its answer was lost: the version is ahead of ours
                zookeeper.store.claim(zookeeper.store.load(owned.state().moveId()).orElseThrow(), OWNER);
            }
            owned.update(s -> s.withPhase(MovePhase.COMPLETED));
        });

        assertThat(runs).hasSize(2);
        assertThat(zookeeper.store.load(move.state().moveId()).orElseThrow().state().phase()).isEqualTo(MovePhase.COMPLETED);
    }

    @Test
    void a_move_another_control_plane_took_over_is_left_to_it() throws Exception {
        CheckpointStore.Owned move = newMove();
        List<MovePhase> runs = new CopyOnWriteArrayList<>();

        attempts.runToTheEnd(move, owned -> {
            runs.add(owned.state().phase());
            zookeeper.store.claim(zookeeper.store.load(owned.state().moveId()).orElseThrow(), "another-control-plane");
            owned.update(s -> s.withPhase(MovePhase.CATCHING_UP));
        });

        assertThat(runs).hasSize(1);
        MoveState now = zookeeper.store.load(move.state().moveId()).orElseThrow().state();
        assertThat(now.owner()).isEqualTo("another-control-plane");
        assertThat(now.phase()).isEqualTo(MovePhase.COPYING);
    }

    private CheckpointStore.Owned newMove() throws Exception {
        return zookeeper.store.create(MoveState.start("move-" + UUID.randomUUID(), 42, "cell-a", "cell-b", OWNER,
                GtidPosition.parse("0-100-1")));
    }
}
