package dev.cellshop.kernel.id;

import dev.cellshop.kernel.topology.TopologyPaths;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
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
 * <p>Ids do not need ZooKeeper to answer at the moment they are issued, only to have
 * answered recently: a heartbeat ({@code checkExists} of the node, every {@link #HEARTBEAT})
 * confirms the lease, and ids are issued for as long as the node cannot have been removed
 * since the last confirmation (see {@link LeaseWindow} for why that bound is sound). A
 * process that gives the lease a long session (the cell-runtime: minutes) therefore keeps
 * taking orders through a ZooKeeper outage shorter than that.
 *
 * <p>Connection states: on SUSPENDED nothing changes, the window runs down on its own. On
 * LOST the window closes at once (the session is gone, or Curator gave up on it after its
 * timeout), so ids stop until the next confirmation. On RECONNECTED, as on every heartbeat,
 * the generator confirms that the node still exists and belongs to its current session;
 * if not (the session was LOST, the node expired with it or is about to) it leases anew.
 */
public final class LeasedIdGenerator implements Closeable {

    /** One exists-call a second per process; with at most 1024 processes a ZooKeeper ensemble hardly notices. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** Stop this long before the earliest possible expiry: NTP keeps hosts' clocks well within it. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(LeasedIdGenerator.class);
    private static final int WORKERS = IdGenerator.MAX_WORKER_ID + 1;
    private static final int MAX_ATTEMPTS = 4 * WORKERS;

    private final CuratorFramework curator;
    private final TopologyPaths paths;
    private final LeaseWindow window;
    private final ConnectionStateListener stateListener = this::onStateChange;
    /** Leases, confirms and re-leases, one at a time: the window's only writer (besides close and LOST). */
    private final ScheduledExecutorService leaseThread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("worker-id-lease").factory());
    private volatile String leasePath;
    private volatile IdGenerator generator;
    private volatile Duration sessionTimeout = Duration.ZERO;
    private volatile boolean closed;
    private boolean expiryLogged;

    private LeasedIdGenerator(CuratorFramework curator, TopologyPaths paths) {
        this.curator = curator;
        this.paths = paths;
        this.window = new LeaseWindow(System::nanoTime, SAFETY_MARGIN);
    }

    /** Leases a worker id (blocking: call it off any event loop) and returns the generator. */
    public static LeasedIdGenerator start(CuratorFramework curator, TopologyPaths paths) throws Exception {
        LeasedIdGenerator leased = new LeasedIdGenerator(curator, paths);
        leased.lease();
        curator.getConnectionStateListenable().addListener(leased.stateListener);
        leased.leaseThread.scheduleWithFixedDelay(leased::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        return leased;
    }

    /** The next id; {@link IdsUnavailable} (a 503) when the lease is not held or may have expired. */
    public long nextId() {
        if (!window.isOpen()) {
            throw new IdsUnavailable(closed ? "the id generator is closed"
                    : "the worker-id lease is not held, or ZooKeeper has not confirmed it within its session timeout");
        }
        return generator.nextId();
    }

    public int workerId() {
        return generator.workerId();
    }

    /** Whether ids can be issued now (with ZooKeeper reachable or not). */
    public boolean held() {
        return window.isOpen();
    }

    /** How long ids can still be issued should ZooKeeper not answer again. */
    public Duration remaining() {
        return window.remaining();
    }

    /** The session timeout ZooKeeper negotiated for the lease's session (the server caps it at its maxSessionTimeout). */
    public Duration sessionTimeout() {
        return sessionTimeout;
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
                if (!confirm(path)) {
                    throw new IllegalStateException("the new worker-id lease " + path + " vanished at once (session lost?)");
                }
                LOG.info("event=worker_id_leased workerId={} node={} sessionTimeoutMs={} idsWithoutZooKeeperMs={}",
                        workerId, path, sessionTimeout.toMillis(), window.remaining().toMillis());
                return;
            }
            curator.delete().guaranteed().forPath(path);
        }
        throw new IllegalStateException("no free worker id after " + MAX_ATTEMPTS + " attempts: more than "
                + WORKERS + " live id generators under " + paths.idWorkers() + "?");
    }

    /**
     * One round trip: true, and the window extended, when the node exists and belongs to the
     * current session. The owner check matters after a LOST: the old session's node may
     * linger until ZooKeeper expires it, and it is no lease of ours any more.
     */
    private boolean confirm(String path) throws Exception {
        long sentAt = window.now(); // before sending: the server touched our session no earlier
        Stat stat = curator.checkExists().forPath(path);
        ZooKeeper zooKeeper = curator.getZookeeperClient().getZooKeeper();
        if (stat == null || stat.getEphemeralOwner() != zooKeeper.getSessionId()) {
            return false;
        }
        // Read after the answer: a reconnect may have renegotiated it, and the newest value is the one the server applies.
        Duration negotiated = Duration.ofMillis(zooKeeper.getSessionTimeout());
        synchronized (window) {
            if (closed) {
                return false;
            }
            sessionTimeout = negotiated;
            window.confirmed(sentAt, negotiated);
        }
        expiryLogged = false;
        return true;
    }

    private void heartbeat() {
        String path = leasePath;
        if (!curator.getZookeeperClient().isConnected()) {
            // No call now: it would only wait out Curator's retries; the window runs down on its own.
            logIfExpired(path, "not connected");
            return;
        }
        try {
            if (!confirm(path) && !closed) {
                window.close();
                LOG.warn("event=worker_id_lease_lost node={} reason=\"node gone or owned by an ended session\"", path);
                lease();
            }
        } catch (Exception e) {
            // ZooKeeper out of reach: the window runs down on its own; the next heartbeat tries again.
            logIfExpired(path, e.toString());
        }
    }

    private void logIfExpired(String path, String error) {
        if (!window.isOpen() && !expiryLogged && !closed) {
            expiryLogged = true;
            LOG.warn("event=worker_id_lease_expired node={} reason=\"no answer from ZooKeeper within the session timeout"
                    + " less {}: ids refused until it answers\" error=\"{}\"", path, SAFETY_MARGIN, error);
        }
    }

    private void onStateChange(CuratorFramework client, ConnectionState state) {
        switch (state) {
            case SUSPENDED -> LOG.warn("event=worker_id_lease_unconfirmed node={} idsWithoutZooKeeperMs={}",
                    leasePath, window.remaining().toMillis());
            case LOST -> {
                window.close();
                LOG.warn("event=worker_id_lease_paused state=LOST node={}", leasePath);
            }
            case RECONNECTED -> {
                LOG.info("event=worker_id_lease_reconnected node={} idsWithoutZooKeeperMs={}", leasePath, window.remaining().toMillis());
                leaseThread.execute(this::heartbeat);
            }
            default -> { }
        }
    }

    @Override
    public void close() {
        synchronized (window) {
            closed = true;
            window.close();
        }
        curator.getConnectionStateListenable().removeListener(stateListener);
        leaseThread.shutdownNow();
        if (!curator.getZookeeperClient().isConnected()) {
            // The delete would retry until ZooKeeper is back; the node goes with the session when the client closes.
            LOG.warn("event=worker_id_release_skipped node={} reason=\"ZooKeeper unreachable; the node expires with the session\"", leasePath);
            return;
        }
        try {
            curator.delete().guaranteed().forPath(leasePath);
        } catch (KeeperException.NoNodeException gone) {
            // The session already ended and took the node with it.
        } catch (Exception e) {
            LOG.warn("event=worker_id_release_failed node={} error=\"{}\"", leasePath, e.toString());
        }
    }

    private long lowestHolderOf(int workerId) throws Exception {
        List<String> children = curator.getChildren().forPath(paths.idWorkers());
        return children.stream().mapToLong(LeasedIdGenerator::sequenceOf)
                .filter(s -> residue(s) == workerId).min().orElseThrow();
    }

    private static long sequenceOf(String path) {
        return Long.parseLong(path.substring(path.length() - 10));
    }

    private static int residue(long sequence) {
        return (int) (sequence % WORKERS);
    }
}
