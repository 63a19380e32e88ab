package dev.cellshop.control.topology;

import dev.cellshop.control.audit.AuditEntry;
import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.topology.TopologyPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's reads and writes of the topology in ZooKeeper: cell descriptors,
 * domain claims and shop placements. Every change goes into one transaction with its
 * audit entry. Blocking (Curator's synchronous API): call off any event loop.
 *
 * <p>Connection states: nothing is cached here, so on SUSPENDED or LOST every call fails
 * with Curator's connection error after its retries, and the caller reports ZooKeeper as
 * unreachable; nothing is written half, because each change is one transaction.
 */
public final class TopologyStore {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyStore.class);
    // how ZooKeeper marks a CONTAINER node in its Stat (EphemeralType.CONTAINER_EPHEMERAL_OWNER, server-side class)
    private static final long CONTAINER_OWNER = Long.MIN_VALUE;

    private final CuratorFramework curator;
    private final TopologyPaths paths;
    private final AuditLog audit;

    public TopologyStore(CuratorFramework curator, TopologyPaths paths, AuditLog audit) {
        this.curator = curator;
        this.paths = paths;
        this.audit = audit;
    }

    /** The parents every transaction below creates children under. */
    public void ensureCreated() throws Exception {
        for (String parent : List.of(paths.cells(), paths.shops(), paths.domains())) {
            try {
                curator.create().creatingParentsIfNeeded().forPath(parent);
            } catch (KeeperException.NodeExistsException already) {
                // made by an earlier start or another process
            }
        }
        audit.ensureCreated();
    }

    public TopologyPaths paths() {
        return paths;
    }

    public List<CellDescriptor> cells() throws Exception {
        List<CellDescriptor> cells = new ArrayList<>();
        for (String child : curator.getChildren().forPath(paths.cells())) {
            cell(CellId.of(child)).ifPresent(cells::add);
        }
        cells.sort((a, b) -> a.cellId().compareTo(b.cellId()));
        return cells;
    }

    /** Empty when the node is missing or holds no descriptor (e.g. only a runtime's instance parent). */
    public Optional<CellDescriptor> cell(CellId cellId) throws Exception {
        try {
            byte[] data = curator.getData().forPath(paths.cell(cellId));
            return data == null || data.length == 0 ? Optional.empty() : Optional.of(Json.read(data, CellDescriptor.class));
        } catch (KeeperException.NoNodeException missing) {
            return Optional.empty();
        }
    }

    /**
     * Writes a cell descriptor, creating the node or replacing the one read as
     * {@code before} (checked by version: a concurrent change fails this one).
     *
     * <p>A cell-runtime that announces itself before its cell is registered creates the cell
     * node empty and PERSISTENT (InstanceRegistration). Older runtimes created it as a
     * CONTAINER, which ZooKeeper deletes once its last instance leaves, descriptor and all;
     * such a node cannot be turned persistent while instances live under it, so it is written
     * but reported.
     */
    public void putCell(CellDescriptor before, CellDescriptor after, String actor, String action) throws Exception {
        String path = paths.cell(after.cellId());
        byte[] data = Json.writeBytes(after);
        Stat stat = curator.checkExists().forPath(path);
        if (stat != null && stat.getEphemeralOwner() == CONTAINER_OWNER) {
            LOG.warn("event=cell_node_is_container cell={} node={} note=\"the descriptor goes when the cell's last instance"
                    + " leaves; register cells before their runtimes start\"", after.cellId(), path);
        }
        var write = stat == null
                ? curator.transactionOp().create().forPath(path, data)
                : curator.transactionOp().setData().withVersion(stat.getVersion()).forPath(path, data);
        curator.transaction().forOperations(write,
                audit.append(AuditEntry.of(actor, action, "cell/" + after.cellId(),
                        before == null ? null : Json.mapper().valueToTree(before), Json.mapper().valueToTree(after))));
    }

    /**
     * Claims {@code domain} for {@code shop}: a plain create, so of two racing claims
     * ZooKeeper lets exactly one succeed; the loser gets {@link KeeperException.NodeExistsException}.
     */
    public void claimDomain(String domain, ShopId shop) throws Exception {
        curator.create().forPath(paths.domain(domain), shop.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Undoes {@link #claimDomain} of a shop whose creation failed; only if the claim is still that shop's. */
    public void releaseDomain(String domain, ShopId shop) throws Exception {
        Optional<ShopId> owner = domainOwner(domain);
        if (owner.isPresent() && owner.get().equals(shop)) {
            curator.delete().guaranteed().forPath(paths.domain(domain));
        }
    }

    public Optional<ShopId> domainOwner(String domain) throws Exception {
        try {
            return Optional.of(ShopId.parse(new String(curator.getData().forPath(paths.domain(domain)), StandardCharsets.US_ASCII)));
        } catch (KeeperException.NoNodeException missing) {
            return Optional.empty();
        }
    }

    /** A cell's descriptor with the version of its node, for a change conditional on it. */
    public record VersionedCell(CellDescriptor cell, int version) {
    }

    public Optional<VersionedCell> versionedCell(CellId cellId) throws Exception {
        try {
            Stat stat = new Stat();
            byte[] data = curator.getData().storingStatIn(stat).forPath(paths.cell(cellId));
            return data == null || data.length == 0 ? Optional.empty()
                    : Optional.of(new VersionedCell(Json.read(data, CellDescriptor.class), stat.getVersion()));
        } catch (KeeperException.NoNodeException missing) {
            return Optional.empty();
        }
    }

    /**
     * A new shop's placement and its audit entry, in one transaction that also checks the
     * cell's descriptor is still at {@code cellVersion}: a cell drained (or otherwise changed)
     * since it was chosen fails the transaction with {@link KeeperException.BadVersionException}.
     */
    public void createPlacement(ShopId shop, Placement placement, AuditEntry entry, int cellVersion) throws Exception {
        curator.transaction().forOperations(
                curator.transactionOp().check().withVersion(cellVersion).forPath(paths.cell(placement.cellId())),
                curator.transactionOp().create().forPath(paths.shop(shop), Json.writeBytes(placement)),
                audit.append(entry));
    }

    /** A shop's placement and domain claim deleted with its audit entry, in one transaction. */
    public void removeShop(ShopId shop, String domain, AuditEntry entry) throws Exception {
        curator.transaction().forOperations(
                curator.transactionOp().delete().forPath(paths.shop(shop)),
                curator.transactionOp().delete().forPath(paths.domain(domain)),
                audit.append(entry));
    }

    /** How many instances of the cell are registered now (EPHEMERAL nodes under its {@code instances}). */
    public int instances(CellId cellId) throws Exception {
        try {
            return curator.getChildren().forPath(paths.instances(cellId)).size();
        } catch (KeeperException.NoNodeException none) {
            return 0;
        }
    }

    public Optional<Placement> placement(ShopId shop) throws Exception {
        try {
            return Optional.of(Json.read(curator.getData().forPath(paths.shop(shop)), Placement.class));
        } catch (KeeperException.NoNodeException missing) {
            return Optional.empty();
        }
    }
}
