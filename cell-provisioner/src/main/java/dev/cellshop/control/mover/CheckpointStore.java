package dev.cellshop.control.mover;

import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.topology.TopologyPaths;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Moves' checkpoints in ZooKeeper ({@code /cellshop/moves/{moveId}}), every write a
 * compare-and-set on the node's version: a mover owns a move through the version it last
 * wrote, so when a second mover claims the move, the first one's next save fails with
 * {@link OwnershipLost} and it stops, and two movers never both advance one move.
 *
 * <p>Connection states: nothing is cached but the version; on SUSPENDED or LOST a save
 * fails with Curator's connection error and the mover stops without guessing; after a
 * reconnect the version check still holds, because ZooKeeper, not this process, decides
 * whose write lands.
 *
 * <p>Fenced (two control planes): with a fence, every write is also conditional on the
 * fence's node existing — the writer's leader-latch node, which lives only as long as its
 * ZooKeeper session — and no write is tried while the fence is empty (not the leader), so
 * a control plane that lost its leadership cannot save, claim or create a move.
 */
public final class CheckpointStore {

    /** A checkpoint and the node version it was read or written at. */
    public record Versioned(MoveState state, int version) {
    }

    /** Another mover wrote the move since this one last did. */
    public static final class OwnershipLost extends RuntimeException {
        public OwnershipLost(String moveId, String owner) {
            super("move " + moveId + " is no longer owned by " + owner + ": another mover saved it since");
        }
    }

    private static final Supplier<Optional<String>> UNFENCED = () -> Optional.of("");

    private final CuratorFramework curator;
    private final TopologyPaths paths;
    private final Supplier<Optional<String>> fence;

    /** Unfenced: one mover process on this root (tests of the mover alone). */
    public CheckpointStore(CuratorFramework curator, TopologyPaths paths) {
        this(curator, paths, UNFENCED);
    }

    /** {@code fence}: the node every write is conditional on, empty while this process may not write moves. */
    public CheckpointStore(CuratorFramework curator, TopologyPaths paths, Supplier<Optional<String>> fence) {
        this.curator = curator;
        this.paths = paths;
        this.fence = fence;
    }

    /** Records a new move; fails if the id is taken. */
    public Owned create(MoveState state) throws Exception {
        String node = fenceNode(state.moveId(), state.owner());
        curator.createContainers(paths.moves());
        try {
            if (node.isEmpty()) {
                curator.create().forPath(paths.move(state.moveId()), Json.writeBytes(state));
            } else {
                curator.transaction().forOperations(curator.transactionOp().check().forPath(node),
                        curator.transactionOp().create().forPath(paths.move(state.moveId()), Json.writeBytes(state)));
            }
        } catch (KeeperException.NodeExistsException e) {
            throw new IllegalStateException("move " + state.moveId() + " already exists", e);
        } catch (KeeperException.NoNodeException e) {
            throw new OwnershipLost(state.moveId(), state.owner());
        }
        return new Owned(new Versioned(state, 0));
    }

    public Optional<Versioned> load(String moveId) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = curator.getData().storingStatIn(stat).forPath(paths.move(moveId));
            return Optional.of(new Versioned(Json.read(data, MoveState.class), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    /** Takes a move over (e.g. to resume it after its mover died) from the version read: of two racing claims one wins. */
    public Owned claim(Versioned read, String owner) throws Exception {
        return new Owned(write(read.state().withOwner(owner), read.version(), owner));
    }

    private Versioned write(MoveState state, int expectedVersion, String owner) throws Exception {
        String node = fenceNode(state.moveId(), owner);
        try {
            if (node.isEmpty()) {
                Stat stat = curator.setData().withVersion(expectedVersion).forPath(paths.move(state.moveId()), Json.writeBytes(state));
                return new Versioned(state, stat.getVersion());
            }
            curator.transaction().forOperations(curator.transactionOp().check().forPath(node),
                    curator.transactionOp().setData().withVersion(expectedVersion).forPath(paths.move(state.moveId()),
                            Json.writeBytes(state)));
            return new Versioned(state, expectedVersion + 1);
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            throw new OwnershipLost(state.moveId(), owner);
        }
    }

    /** The fence's node ("" unfenced); OwnershipLost while there is none: this process does not lead. */
    private String fenceNode(String moveId, String owner) {
        return fence.get().orElseThrow(() -> new OwnershipLost(moveId, owner + " (this control plane does not lead now)"));
    }

    /** A move this mover owns: every change goes through {@link #update}, one at a time. */
    public final class Owned {

        private Versioned current;

        private Owned(Versioned current) {
            this.current = current;
        }

        public synchronized MoveState state() {
            return current.state();
        }

        public synchronized int version() {
            return current.version();
        }

        public synchronized MoveState update(UnaryOperator<MoveState> change) throws Exception {
            current = write(change.apply(current.state()), current.version(), current.state().owner());
            return current.state();
        }
    }
}
