package dev.cellshop.kernel.topology;

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts a ZooKeeper client's connect attempt that may be stuck, so the client gets back
 * into its session as soon as the server answers again.
 *
 * <p>Why: the ZooKeeper client gives one connect attempt sessionTimeout / servers before it
 * tries the next. An attempt made while a server is still starting can hang all that time
 * (seen on the local platform after a ZooKeeper restart: 10 s sessions came back after 10 s,
 * a 180 s session not for minutes). A restarted server gives every session it restores a
 * fresh timeout, so a client that reconnects late loses its session (and its EPHEMERAL nodes,
 * which routers then see vanish and reappear) for no reason. While the client is
 * disconnected, every {@link #INTERVAL} this closes its socket, which makes it try again at
 * once, in the same session; closing the socket of a client that is retrying anyway costs
 * nothing.
 */
public final class StalledConnectNudge implements Closeable {

    static final Duration INTERVAL = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(StalledConnectNudge.class);

    private final CuratorFramework curator;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("zookeeper-connect-nudge").factory());
    private boolean disconnected;

    private StalledConnectNudge(CuratorFramework curator) {
        this.curator = curator;
    }

    public static StalledConnectNudge start(CuratorFramework curator) {
        StalledConnectNudge nudge = new StalledConnectNudge(curator);
        nudge.timer.scheduleWithFixedDelay(nudge::check, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return nudge;
    }

    private void check() {
        if (curator.getZookeeperClient().isConnected()) {
            disconnected = false;
            return;
        }
        if (!disconnected) {
            disconnected = true; // the attempt under way gets one interval of its own
            return;
        }
        try {
            curator.getZookeeperClient().getZooKeeper().getTestable().closeSocket();
        } catch (Exception e) {
            LOG.debug("event=zookeeper_connect_nudge_failed error=\"{}\"", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
