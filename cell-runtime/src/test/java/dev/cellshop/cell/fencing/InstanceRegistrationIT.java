package dev.cellshop.cell.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import dev.cellshop.testkit.faults.LinkProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class InstanceRegistrationIT {

    private static final CellId CELL = CellId.of("cell-a");
    private static final Duration WATCH = Duration.ofSeconds(10);

    private final TopologyPaths paths = new TopologyPaths("/it-" + UUID.randomUUID());
    private final InstanceDescriptor instance = InstanceDescriptor.of("cell-a-1", "127.0.0.1", 13303, Instant.parse("2025-01-31T12:00:00Z"));
    private final Closer closer = new Closer();
    private String zookeeper;
    private CuratorFramework observer; // plays a router, reading the instance nodes

    @BeforeEach
    void connect(PlatformEndpoints platform) {
        zookeeper = platform.zookeeper();
        observer = closer.client(zookeeper);
    }

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    @Test
    void the_instance_appears_as_an_ephemeral_node_of_its_session_with_its_json() throws Exception {
        CuratorFramework runtime = closer.client(zookeeper);
        InstanceRegistration registration = register(runtime);

        assertThat(registration.path()).isEqualTo(paths.instance(CELL, "cell-a-1"));
        Stat stat = new Stat();
        byte[] data = observer.getData().storingStatIn(stat).forPath(registration.path());
        assertThat(Json.read(data, InstanceDescriptor.class)).isEqualTo(instance);
        assertThat(new String(data)).contains("\"instanceId\"", "\"host\"", "\"port\"", "\"startedAt\":\"2025-01-31T12:00:00Z\"");
        assertThat(stat.getEphemeralOwner()).isEqualTo(runtime.getZookeeperClient().getZooKeeper().getSessionId());
    }

    @Test
    void close_removes_the_node_at_once() throws Exception {
        InstanceRegistration registration = register(closer.client(zookeeper));

        registration.close();

        assertThat(observer.checkExists().forPath(registration.path())).isNull();
    }

    @Test
    void the_cell_node_and_its_instances_parent_are_persistent_so_the_descriptor_outlives_the_last_instance() throws Exception {
        InstanceRegistration registration = register(closer.client(zookeeper));

        assertThat(observer.checkExists().forPath(paths.cell(CELL)).getEphemeralOwner()).as("not a CONTAINER").isZero();
        assertThat(observer.checkExists().forPath(paths.instances(CELL)).getEphemeralOwner()).as("not a CONTAINER").isZero();
        observer.setData().forPath(paths.cell(CELL), "{\"descriptor\":true}".getBytes());
        registration.close();

        // ZooKeeper's container reaper runs every minute by default: a container would be gone then, a persistent node stays
        assertThat(observer.checkExists().forPath(paths.cell(CELL))).isNotNull();
        assertThat(new String(observer.getData().forPath(paths.cell(CELL)))).contains("descriptor");
    }

    @Test
    void a_brief_connection_loss_keeps_the_same_node_of_the_same_session() throws Exception {
        LinkProxy link = closer.add(new LinkProxy(zookeeper));
        CuratorFramework runtime = closer.client(link.address());
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        runtime.getConnectionStateListenable().addListener((c, state) -> states.add(state));
        InstanceRegistration registration = register(runtime);
        Stat before = observer.checkExists().forPath(registration.path());

        link.cut();
        await().atMost(WATCH).until(() -> states.contains(ConnectionState.SUSPENDED));
        link.pass();
        await().atMost(WATCH).until(() -> states.contains(ConnectionState.RECONNECTED));

        assertThat(states).doesNotContain(ConnectionState.LOST);
        Stat after = observer.checkExists().forPath(registration.path());
        assertThat(after.getEphemeralOwner()).isEqualTo(before.getEphemeralOwner());
        assertThat(after.getCzxid()).as("the same node, never re-created").isEqualTo(before.getCzxid());
    }

    @Test
    void the_node_dies_with_its_session_and_is_created_again_in_the_next_one() throws Exception {
        CuratorFramework runtime = closer.client(zookeeper);
        InstanceRegistration registration = register(runtime);
        long firstSession = observer.checkExists().forPath(registration.path()).getEphemeralOwner();
        CountDownLatch deleted = new CountDownLatch(1);
        observer.checkExists().usingWatcher((Watcher) event -> {
            if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                deleted.countDown();
            }
        }).forPath(registration.path());

        expire(runtime.getZookeeperClient().getZooKeeper());

        assertThat(deleted.await(10, TimeUnit.SECONDS)).as("deleted when its session expired").isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Stat stat = observer.checkExists().forPath(registration.path());
            assertThat(stat).as("node re-created").isNotNull();
            assertThat(stat.getEphemeralOwner()).isNotEqualTo(firstSession)
                    .isEqualTo(runtime.getZookeeperClient().getZooKeeper().getSessionId());
        });
        assertThat(Json.read(observer.getData().forPath(registration.path()), InstanceDescriptor.class)).isEqualTo(instance);
    }

    /**
     * Expires the session on the server, as ZooKeeper does after a long partition: a second
     * handle joins the same session and closes it, which deletes the session's ephemeral nodes.
     */
    private void expire(ZooKeeper victim) throws Exception {
        CountDownLatch joined = new CountDownLatch(1);
        ZooKeeper twin = new ZooKeeper(zookeeper, 4000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                joined.countDown();
            }
        }, victim.getSessionId(), victim.getSessionPasswd());
        try {
            assertThat(joined.await(10, TimeUnit.SECONDS)).as("joined the session").isTrue();
        } finally {
            twin.close();
        }
    }

    private InstanceRegistration register(CuratorFramework runtime) throws Exception {
        InstanceRegistration registration = closer.add(new InstanceRegistration(runtime, paths, CELL, instance));
        registration.start();
        assertThat(registration.awaitRegistered(WATCH)).as("registered").isTrue();
        return registration;
    }
}
