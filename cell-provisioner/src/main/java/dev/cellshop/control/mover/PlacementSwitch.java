package dev.cellshop.control.mover;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cellshop.control.audit.AuditEntry;
import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.topology.TopologyPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The three placement changes of a move, each one ZooKeeper transaction with its audit
 * entry, each conditional on the placement being exactly what the move last saw (a version
 * check): freeze on the source, then either activate on the target (the switch) or activate
 * on the source again (an abort). A placement someone else changed meanwhile fails the step
 * with a message naming both, so two actors can never both move a shop. With a fence (the
 * leader's latch node, see {@link CheckpointStore}) each change also requires that node to
 * exist: a control plane that lost the lead cannot freeze, switch or thaw a shop.
 *
 * <p>Blocking (Curator's synchronous API): the mover's thread.
 */
public final class PlacementSwitch {

    private final CuratorFramework curator;
    private final TopologyPaths paths;
    private final AuditLog audit;
    private final String actor;
    private final Supplier<Optional<String>> fence;

    /** Unfenced: one mover process on this root (tests of the mover alone). */
    public PlacementSwitch(CuratorFramework curator, TopologyPaths paths, AuditLog audit, String actor) {
        this(curator, paths, audit, actor, () -> Optional.of(""));
    }

    public PlacementSwitch(CuratorFramework curator, TopologyPaths paths, AuditLog audit, String actor, Supplier<Optional<String>> fence) {
        this.curator = curator;
        this.paths = paths;
        this.audit = audit;
        this.actor = actor;
        this.fence = fence;
    }

    /** The shop's placement now, with its node version for the next conditional change. */
    public record Seen(Placement placement, int version) {
    }

    public Seen read(ShopId shop) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = curator.getData().storingStatIn(stat).forPath(paths.shop(shop));
            return new Seen(Json.read(data, Placement.class), stat.getVersion());
        } catch (KeeperException.NoNodeException missing) {
            throw new IllegalStateException("shop " + shop + " has no placement", missing);
        }
    }

    /** Cutover starts: the shop stays on its cell, FROZEN at the next epoch; routers hold its requests. */
    public Seen freeze(ShopId shop, Seen active, String moveId) throws Exception {
        if (active.placement().state() != PlacementState.ACTIVE) {
            throw new IllegalStateException("shop " + shop + " is " + active.placement().state() + ", not ACTIVE: it cannot be frozen");
        }
        return write(shop, active, active.placement().freeze(), "shop.freeze", moveId);
    }

    /** The switch: ACTIVE on {@code target} at the next epoch; held requests go there. */
    public Seen activateOn(ShopId shop, Seen frozen, CellId target, String moveId) throws Exception {
        return write(shop, frozen, frozen.placement().activateOn(target), target.equals(frozen.placement().cellId())
                ? "shop.thaw" : "shop.switch", moveId);
    }

    private Seen write(ShopId shop, Seen before, Placement after, String action, String moveId) throws Exception {
        ObjectNode audited = Json.mapper().valueToTree(after);
        audited.put("moveId", moveId);
        String node = fence.get().orElseThrow(() -> new IllegalStateException("shop " + shop + "'s " + action + " of move " + moveId
                + " not written: this control plane does not lead now"));
        List<CuratorOp> ops = new ArrayList<>();
        if (!node.isEmpty()) {
            ops.add(curator.transactionOp().check().forPath(node));
        }
        ops.add(curator.transactionOp().setData().withVersion(before.version()).forPath(paths.shop(shop), Json.writeBytes(after)));
        ops.add(audit.append(AuditEntry.of(actor, action, "shop/" + shop, Json.mapper().valueToTree(before.placement()), audited)));
        try {
            curator.transaction().forOperations(ops);
        } catch (KeeperException.NoNodeException gone) {
            if (!node.isEmpty() && curator.checkExists().forPath(node) == null) {
                throw new IllegalStateException("shop " + shop + "'s " + action + " of move " + moveId + " not written: this control"
                        + " plane's leadership ended (its latch node is gone)", gone);
            }
            throw gone;
        } catch (KeeperException.BadVersionException changed) {
            throw new IllegalStateException("shop " + shop + "'s placement changed under move " + moveId + " (expected "
                    + before.placement() + "); now " + read(shop).placement(), changed);
        }
        return new Seen(after, before.version() + 1);
    }
}
