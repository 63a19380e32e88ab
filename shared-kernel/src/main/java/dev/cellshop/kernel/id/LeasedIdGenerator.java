package dev.cellshop.kernel.id;

import dev.cellshop.kernel.topology.TopologyPaths;
import java.io.Closeable;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IdGenerator} whose worker id is leased from ZooKeeper, so no two live
 * processes of the platform ever issue ids with the same worker bits.
 *
 * <p>The lease is an EPHEMERAL_SEQUENTIAL node under {@code /cellshop/ids/workers}; its
 * sequence number modulo 1024 is the worker id. Two live nodes can share a residue: the
 * one with the lower sequence keeps it and the other takes a new node. This is race-free
 * because sequence numbers follow creation order, so the later of two creators always
 * sees the earlier one when it lists the children.
 *
 * <p>Connection states: on SUSPENDED the generator refuses ids ({@link IllegalStateException})
 * because the session, and with it the lease, may expire while we cannot tell, and another
 * process could then take our worker id. On RECONNECTED it resumes if the lease node still
 * exists, else (the session was LOST) it leases a worker id anew.
 */
public final class LeasedIdGenerator implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedIdGenerator.class);
    private static final int WORKERS = IdGenerator.MAX_WORKER_ID + 1;
    private static final int MAX_ATTEMPTS = 4 * WORKERS;

    private final CuratorFramework curator;
    private final TopologyPaths paths;
    private final ConnectionStateListener stateListener = this::onStateChange;
    private final ExecutorService releaser = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("worker-id-lease").factory());
    private volatile String leasePath;
    private volatile IdGenerator generator;
    private volatile boolean held;

    private LeasedIdGenerator(CuratorFramework curator, TopologyPaths paths) {
        this.curator = curator;
        this.paths = paths;
    }

    /** Leases a worker id (blocking: call it off any event loop) and returns the generator. */
    public static LeasedIdGenerator start(CuratorFramework curator, TopologyPaths paths) throws Exception {
        LeasedIdGenerator leased = new LeasedIdGenerator(curator, paths);
        leased.lease();
        curator.getConnectionStateListenable().addListener(leased.stateListener);
        return leased;
    }

    public long nextId() {
        if (!held) {
            throw new IllegalStateException("no id: the worker-id lease is not held (ZooKeeper connection suspended or lost)");
        }
        return generator.nextId();
    }

    public int workerId() {
        return generator.workerId();
    }

    public boolean held() {
        return held;
    }

    private synchronized void lease() throws Exception {
        curator.createContainers(paths.idWorkers());
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String path = curator.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(paths.idWorkerPrefix());
            long sequence = sequenceOf(path);
            if (lowestHolderOf(residue(sequence)) == sequence) {
                int workerId = residue(sequence);
                // Same worker id as before a lost session: keep the generator, whose logical
                // clock may run ahead of the wall clock, so no id is ever issued twice.
                if (generator == null || generator.workerId() != workerId) {
                    generator = new IdGenerator(workerId);
                }
                leasePath = path;
                held = true;
                LOG.info("event=worker_id_leased workerId={} node={}", workerId, path);
                return;
            }
            curator.delete().guaranteed().forPath(path);
        }
        throw new IllegalStateException("no free worker id after " + MAX_ATTEMPTS + " attempts: more than "
                + WORKERS + " live id generators under " + paths.idWorkers() + "?");
    }

    private long lowestHolderOf(int workerId) throws Exception {
        List<String> children = curator.getChildren().forPath(paths.idWorkers());
        return children.stream().mapToLong(LeasedIdGenerator::sequenceOf)
                .filter(s -> residue(s) == workerId).min().orElseThrow();
    }

    private void onStateChange(CuratorFramework client, ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> {
                held = false;
                LOG.warn("event=worker_id_lease_paused state={} node={}", state, leasePath);
            }
            case RECONNECTED -> releaser.execute(this::resume);
            default -> { }
        }
    }

    private void resume() {
        try {
            if (curator.checkExists().forPath(leasePath) != null) {
                held = true;
                LOG.info("event=worker_id_lease_resumed node={}", leasePath);
            } else {
                lease();
            }
        } catch (Exception e) {
            LOG.error("event=worker_id_lease_failed node={} error=\"{}\"", leasePath, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        held = false;
        curator.getConnectionStateListenable().removeListener(stateListener);
        releaser.shutdownNow();
        try {
            curator.delete().guaranteed().forPath(leasePath);
        } catch (KeeperException.NoNodeException gone) {
            // The session already ended and took the node with it.
        } catch (Exception e) {
            LOG.warn("event=worker_id_release_failed node={} error=\"{}\"", leasePath, e.toString());
        }
    }

    private static long sequenceOf(String path) {
        return Long.parseLong(path.substring(path.length() - 10));
    }

    private static int residue(long sequence) {
        return (int) (sequence % WORKERS);
    }
}
