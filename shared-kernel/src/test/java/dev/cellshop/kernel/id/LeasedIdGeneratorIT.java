package dev.cellshop.kernel.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class LeasedIdGeneratorIT {

    private final TopologyPaths paths = new TopologyPaths("/it-" + UUID.randomUUID());
    private final List<CuratorFramework> clients = new ArrayList<>();
    private String zookeeper;

    @BeforeEach
    void connect(PlatformEndpoints platform) {
        zookeeper = platform.zookeeper();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(CuratorFramework::close);
    }

    @Test
    void forty_processes_leasing_at_once_get_forty_distinct_worker_ids_and_never_collide() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<LeasedIdGenerator>> leases = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            CuratorFramework client = client(); // one session each, like forty processes
            leases.add(pool.submit((Callable<LeasedIdGenerator>) () -> LeasedIdGenerator.start(client, paths)));
        }
        List<LeasedIdGenerator> generators = new ArrayList<>();
        for (Future<LeasedIdGenerator> lease : leases) {
            generators.add(lease.get());
        }
        pool.shutdown();

        assertThat(generators).extracting(LeasedIdGenerator::workerId).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).isBetween(0, IdGenerator.MAX_WORKER_ID));
        List<Long> ids = new ArrayList<>();
        for (LeasedIdGenerator generator : generators) {
            for (int i = 0; i < 1000; i++) {
                ids.add(generator.nextId());
            }
        }
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void the_lease_is_an_ephemeral_node_that_close_removes_and_a_closed_generator_refuses_ids() throws Exception {
        CuratorFramework client = client();
        LeasedIdGenerator generator = LeasedIdGenerator.start(client, paths);
        assertThat(client.getChildren().forPath(paths.idWorkers())).hasSize(1);
        assertThat(IdGenerator.workerId(generator.nextId())).isEqualTo(generator.workerId());

        generator.close();

        assertThat(client.getChildren().forPath(paths.idWorkers())).isEmpty();
        assertThatThrownBy(generator::nextId).isInstanceOf(IdsUnavailable.class)
                .hasMessageContaining("503").hasMessageContaining("closed");
    }

    @Test
    void a_process_that_dies_frees_its_worker_id_for_the_next_one() throws Exception {
        CuratorFramework dying = client();
        LeasedIdGenerator.start(dying, paths);
        CuratorFramework observer = client();
        assertThat(observer.getChildren().forPath(paths.idWorkers())).hasSize(1);

        dying.close(); // the session ends: ZooKeeper removes the ephemeral lease

        await().atMost(Duration.ofSeconds(10))
                .until(() -> observer.getChildren().forPath(paths.idWorkers()).isEmpty());
    }

    private CuratorFramework client() {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zookeeper)
                .sessionTimeoutMs(6000).connectionTimeoutMs(5000)
                .retryPolicy(new ExponentialBackoffRetry(100, 5)).build();
        client.start();
        clients.add(client);
        return client;
    }
}
