package dev.cellshop.cell.fencing;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import dev.cellshop.kernel.topology.TopologyPaths;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's EPHEMERAL node under its cell, which tells routers it is alive.
 *
 * <p>Connection states, handled by Curator's {@link PersistentNode}: on SUSPENDED nothing
 * changes (the node lives as long as the session); on LOST ZooKeeper has deleted the node
 * with the session, and the recipe creates it again in the new session as soon as it
 * connects. {@link #close()} deletes it, so routers stop sending before the server stops.
 *
 * <p>The cell's node and its {@code instances} parent are made PERSISTENT before the recipe
 * starts: {@link PersistentNode} creates missing parents as CONTAINER nodes, and ZooKeeper
 * deletes a container once its last child goes, taking the cell's descriptor (which the
 * control plane writes into the cell's node) with it.
 */
public final class InstanceRegistration implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistration.class);

    private final CuratorFramework curator;
    private final String path;
    private final String parent;
    private final PersistentNode node;
    private final AtomicBoolean closed = new AtomicBoolean();

    public InstanceRegistration(CuratorFramework curator, TopologyPaths paths, CellId cellId, InstanceDescriptor instance) {
        Objects.requireNonNull(curator, "curator");
        Objects.requireNonNull(instance, "instance");
        this.curator = curator;
        this.path = paths.instance(cellId, instance.instanceId());
        this.parent = paths.instances(cellId);
        // useProtection=false: the node name is the instance id routers read, not a generated
        // one. A node left by our own expired session is overwritten, then re-created in the
        // new session when ZooKeeper deletes it; so instance ids must be unique per process.
        this.node = new PersistentNode(curator, CreateMode.EPHEMERAL, false, path, Json.writeBytes(instance));
        node.getListenable().addListener(created -> LOG.info("event=instance_registered node={}", path));
    }

    /**
     * Makes the persistent parents (blocking, briefly: call off any event loop), then starts
     * registering in the background.
     */
    public void start() throws Exception {
        try {
            curator.create().creatingParentsIfNeeded().forPath(parent);
        } catch (KeeperException.NodeExistsException already) {
            // an earlier instance of the cell, or the control plane, made it
        }
        node.start();
    }

    /** Blocks (off any event loop) until the node first exists; false on timeout. */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        return node.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String path() {
        return path;
    }

    /**
     * Deletes the node (blocking, briefly): do it first in a graceful shutdown, and always
     * before closing the CuratorFramework, which the recipe would otherwise keep retrying on.
     */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            if (!curator.getZookeeperClient().isConnected()) {
                // The delete would retry until ZooKeeper is back, holding the shutdown for
                // minutes; the node goes with the session when the caller closes the client.
                LOG.warn("event=instance_deregister_skipped node={} reason=\"ZooKeeper unreachable; the node expires with the session\"", path);
                return;
            }
            node.close();
            LOG.info("event=instance_deregistered node={}", path);
        }
    }
}
