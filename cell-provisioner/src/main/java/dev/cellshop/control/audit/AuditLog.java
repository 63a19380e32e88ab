package dev.cellshop.control.audit;

import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.topology.TopologyPaths;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * The audit trail of the control plane, as PERSISTENT_SEQUENTIAL nodes under
 * {@code /cellshop/audit}. An entry is never written on its own: {@link #append} gives the
 * create operation that goes into the same ZooKeeper transaction as the change it records,
 * so a change without its entry (or an entry for a change that failed) cannot exist.
 * Blocking: call off any event loop.
 */
public final class AuditLog {

    private final CuratorFramework curator;
    private final TopologyPaths paths;

    public AuditLog(CuratorFramework curator, TopologyPaths paths) {
        this.curator = curator;
        this.paths = paths;
    }

    /** The parent node must exist before a transaction creates children under it. */
    public void ensureCreated() throws Exception {
        try {
            curator.create().creatingParentsIfNeeded().forPath(paths.audit());
        } catch (KeeperException.NodeExistsException already) {
            // made by an earlier start
        }
    }

    public CuratorOp append(AuditEntry entry) throws Exception {
        return curator.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                .forPath(paths.auditEntryPrefix(), Json.writeBytes(entry));
    }

    /**
     * Writes an entry on its own, for a decision that is not one ZooKeeper change (a move
     * started, a rebalance planned): the changes it leads to are audited in their own
     * transactions.
     */
    public void record(AuditEntry entry) throws Exception {
        curator.transaction().forOperations(append(entry));
    }

    /** The newest {@code limit} entries, oldest first. */
    public List<AuditEntry> latest(int limit) throws Exception {
        List<String> children = new ArrayList<>(curator.getChildren().forPath(paths.audit()));
        children.sort(null); // zero-padded sequence numbers: name order is creation order
        List<AuditEntry> entries = new ArrayList<>();
        for (String child : children.subList(Math.max(0, children.size() - limit), children.size())) {
            try {
                byte[] data = curator.getData().forPath(paths.audit() + "/" + child);
                entries.add(Json.read(data, AuditEntry.class).withId(child.substring(child.indexOf('-') + 1)));
            } catch (KeeperException.NoNodeException pruned) {
                // removed between the listing and the read
            }
        }
        return entries;
    }
}
