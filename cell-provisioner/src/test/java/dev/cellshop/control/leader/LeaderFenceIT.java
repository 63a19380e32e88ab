package dev.cellshop.control.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.control.mover.CheckpointStore;
import dev.cellshop.control.mover.GtidPosition;
import dev.cellshop.control.mover.MovePhase;
import dev.cellshop.control.mover.MoveState;
import dev.cellshop.control.mover.PlacementSwitch;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The election and its fence on the platform's ZooKeeper, under a root of the test's own. "Without
 * noticing": the writer still holds the latch node it had while leading, as a control plane does
 * between the moment its session ends and the moment it learns so.
 */
@ExtendWith(LocalPlatformExtension.class)
class LeaderFenceIT {

    private static final Leadership.Duties NONE = new Leadership.Duties() {
        @Override
        public void take() {
        }

        @Override
        public void park() {
        }
    };

    private final TopologyPaths paths = new TopologyPaths("/it-leader-" + UUID.randomUUID());
    private final List<AutoCloseable> opened = new ArrayList<>();
    private CuratorFramework cleaner;

    @AfterEach
    void close() throws Exception {
        if (cleaner != null && cleaner.checkExists().forPath(paths.root()) != null) {
            cleaner.delete().deletingChildrenIfNeeded().forPath(paths.root());
        }
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    @Test
    void a_checkpoint_write_of_a_leader_that_lost_the_lead_without_noticing_is_refused_before_the_new_leader_claims_the_move(
            PlatformEndpoints platform) throws Exception {
        CuratorFramework a = curator(platform);
        CuratorFramework b = curator(platform);
        Leadership first = leadership(a, "http://a:1");
        await().atMost(Duration.ofSeconds(10)).until(first::leads);
        Leadership second = leadership(b, "http://b:1");
        assertThat(second.awaitSettled(Duration.ofSeconds(10))).isTrue();
        assertThat(second.leads()).isFalse();
        assertThat(second.leader()).contains("http://a:1");

        String stale = first.fence().orElseThrow(); // what a leader that has not noticed its loss still holds
        CheckpointStore unaware = new CheckpointStore(a, paths, () -> Optional.of(stale));
        CheckpointStore.Owned move = unaware.create(MoveState.start("move-1-1", 1, "cell-a", "cell-b", "http://a:1#1",
                GtidPosition.parse("0-1-1")));
        move.update(s -> s.withPhase(MovePhase.CATCHING_UP));
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(second::leads);

        assertThatThrownBy(() -> move.update(s -> s.withPhase(MovePhase.CAUGHT_UP))).isInstanceOf(CheckpointStore.OwnershipLost.class);
        CheckpointStore fenced = new CheckpointStore(b, paths, second::fence);
        CheckpointStore.Owned taken = fenced.claim(fenced.load("move-1-1").orElseThrow(), "http://b:1#2");
        taken.update(s -> s.withPhase(MovePhase.CAUGHT_UP));
        MoveState now = fenced.load("move-1-1").orElseThrow().state();
        assertThat(now.phase()).isEqualTo(MovePhase.CAUGHT_UP);
        assertThat(now.owners()).containsExactly("http://a:1#1", "http://b:1#2");
    }

    @Test
    void a_control_plane_that_does_not_lead_cannot_record_a_move(PlatformEndpoints platform) throws Exception {
        // no election started: this control plane leads nothing
        CuratorFramework a = curator(platform);
        Leadership follower = new Leadership(a, paths, "http://a:1", NONE, new PrometheusRegistry());
        CheckpointStore store = new CheckpointStore(a, paths, follower::fence);

        assertThatThrownBy(() -> store.create(MoveState.start("move-2-1", 2, "cell-a", "cell-b", "http://a:1#1", GtidPosition.parse("0-1-1"))))
                .isInstanceOf(CheckpointStore.OwnershipLost.class).hasMessageContaining("does not lead");
        assertThat(a.checkExists().forPath(paths.move("move-2-1"))).isNull();
    }

    @Test
    void a_leader_that_lost_the_lead_without_noticing_cannot_freeze_a_shop_for_its_move(PlatformEndpoints platform) throws Exception {
        CuratorFramework a = curator(platform);
        CuratorFramework b = curator(platform);
        Leadership first = leadership(a, "http://a:1");
        await().atMost(Duration.ofSeconds(10)).until(first::leads);
        Leadership second = leadership(b, "http://b:1");
        String stale = first.fence().orElseThrow();
        AuditLog audit = new AuditLog(a, paths);
        audit.ensureCreated();
        ShopId shop = ShopId.of(43);
        a.create().creatingParentsIfNeeded().forPath(paths.shop(shop), Json.writeBytes(Placement.initial(CellId.of("cell-a"))));
        PlacementSwitch unaware = new PlacementSwitch(a, paths, audit, "http://a:1#1", () -> Optional.of(stale));
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(second::leads);

        assertThatThrownBy(() -> unaware.freeze(shop, unaware.read(shop), "move-43-1")).hasMessageContaining("leadership ended");
        assertThat(unaware.read(shop).placement().state()).isEqualTo(PlacementState.ACTIVE);
    }

    private Leadership leadership(CuratorFramework curator, String self) throws Exception {
        Leadership leadership = new Leadership(curator, paths, self, NONE, new PrometheusRegistry());
        leadership.start();
        opened.add(leadership::close);
        return leadership;
    }

    private CuratorFramework curator(PlatformEndpoints platform) throws InterruptedException {
        CuratorFramework curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5));
        curator.start();
        curator.blockUntilConnected();
        opened.add(curator::close);
        if (cleaner == null) {
            cleaner = curator;
        }
        return curator;
    }
}
