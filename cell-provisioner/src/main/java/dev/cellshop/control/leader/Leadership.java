package dev.cellshop.control.leader;

import dev.cellshop.kernel.topology.TopologyPaths;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This control plane's part in the election (see the package page for its states). The
 * {@link Duties} are called one at a time on a thread of their own, never on Curator's
 * event thread, so a duty may block (claim checkpoints, wait for movers to stop).
 */
public final class Leadership implements AutoCloseable {

    /** What leading means to the rest of the control plane. */
    public interface Duties {
        /** Leading (again): claim and resume the unfinished work. */
        void take();

        /** Not leading, or cut off from ZooKeeper: stop starting work and stop what runs, leaving it resumable. */
        void park();
    }

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final CuratorFramework curator;
    private final String self;
    private final Duties duties;
    private final LeaderLatch latch;
    private final ExecutorService events = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("leadership").daemon().factory());
    private final ConnectionStateListener connection = this::connectionChanged;
    private volatile boolean suspended;

    /** {@code self}: this control plane's base URL, the id the others forward to. */
    public Leadership(CuratorFramework curator, TopologyPaths paths, String self, Duties duties, PrometheusRegistry registry) {
        this.curator = curator;
        this.self = self;
        this.duties = duties;
        this.latch = new LeaderLatch(curator, paths.controlLeader(), self, LeaderLatch.CloseMode.NOTIFY_LEADER);
        this.latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                LOG.info("event=leadership_acquired control_plane={}", self);
                if (!suspended) {
                    duties.take();
                }
            }

            @Override
            public void notLeader() {
                LOG.info("event=leadership_lost control_plane={}", self);
                duties.park();
            }
        }, events);
        GaugeWithCallback.builder().name("cellshop_control_leader")
                .help("1 while this control plane leads (runs moves, rebalances, evacuations), 0 while it follows")
                .callback(cb -> cb.call(leads() ? 1 : 0)).register(registry);
    }

    public void start() throws Exception {
        curator.getConnectionStateListenable().addListener(connection, events);
        latch.start();
    }

    /**
     * Waits (bounded) until the election names a leader and, when that is this control plane,
     * until its latch says so: a control plane that answers before would refuse the leader's
     * work with "no leader" for the few milliseconds the latch takes. Blocking.
     */
    public boolean awaitSettled(Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> leader = leader();
            if (leader.isPresent() && (!leader.get().equals(self) || leads())) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    public String self() {
        return self;
    }

    /** Whether this control plane leads now: it holds the latch and its ZooKeeper session is not in doubt. */
    public boolean leads() {
        return latch.hasLeadership() && !suspended;
    }

    /**
     * The latch node of this control plane while it leads, for a write to be conditional on
     * (it exists only in this control plane's live session); empty while it does not lead.
     */
    public Optional<String> fence() {
        return leads() ? Optional.ofNullable(latch.getOurPath()) : Optional.empty();
    }

    /** The leader's base URL, empty while none is elected. Blocking (reads ZooKeeper). */
    public Optional<String> leader() throws Exception {
        if (leads()) {
            return Optional.of(self);
        }
        Participant leader = latch.getLeader();
        return leader.isLeader() && !leader.getId().isEmpty() ? Optional.of(leader.getId()) : Optional.empty();
    }

    private void connectionChanged(CuratorFramework client, ConnectionState state) {
        switch (state) {
            case SUSPENDED -> {
                suspended = true;
                if (latch.hasLeadership()) {
                    LOG.warn("event=leadership_parked control_plane={} note=\"ZooKeeper unreachable: movers stop before the"
                            + " session can expire; resumed if it is kept\"", self);
                    duties.park();
                }
            }
            case RECONNECTED, CONNECTED -> {
                boolean was = suspended;
                suspended = false;
                if (was && latch.hasLeadership()) {
                    LOG.info("event=leadership_resumed control_plane={}", self);
                    duties.take();
                }
            }
            case LOST -> suspended = true; // the latch's notLeader follows (session policy); until then nothing runs
            default -> {
            }
        }
    }

    /** Leaves the election (the others see it at once) after the duties were parked by the caller. */
    @Override
    public void close() throws Exception {
        curator.getConnectionStateListenable().removeListener(connection);
        try {
            latch.close();
        } catch (IllegalStateException notStarted) {
            // never started: nothing to leave
        }
        events.shutdown();
        events.awaitTermination(10, TimeUnit.SECONDS);
    }
}
