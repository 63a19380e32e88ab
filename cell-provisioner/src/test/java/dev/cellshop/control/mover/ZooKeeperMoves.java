package dev.cellshop.control.mover;

import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.PlatformEndpoints;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** A checkpoint store on the platform's ZooKeeper under a root of the test's own. */
final class ZooKeeperMoves implements AutoCloseable {

    private final CuratorFramework curator;
    final CheckpointStore store;

    ZooKeeperMoves(PlatformEndpoints platform) throws InterruptedException {
        curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5));
        curator.start();
        curator.blockUntilConnected();
        store = new CheckpointStore(curator, new TopologyPaths("/it-mover-" + UUID.randomUUID()));
    }

    @Override
    public void close() {
        curator.close();
    }
}
