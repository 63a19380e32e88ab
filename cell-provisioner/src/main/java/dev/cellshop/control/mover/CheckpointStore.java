package dev.cellshop.control.mover;

import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.topology.TopologyPaths;
import java.util.Optional;
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

    private final CuratorFramework curator;
    private final TopologyPaths paths;

    public CheckpointStore(CuratorFramework curator, TopologyPaths paths) {
        this.curator = curator;
        this.paths = paths;
    }

    /** Records a new move; fails if the id is taken. */
    public Owned create(MoveState state) throws Exception {
        try {
            curator.create().creatingParentContainersIfNeeded().forPath(paths.move(state.moveId()), Json.writeBytes(state));
        } catch (KeeperException.NodeExistsException e) {
            throw new IllegalStateException("move " + state.moveId() + " already exists", e);
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
        try {
            Stat stat = curator.setData().withVersion(expectedVersion).forPath(paths.move(state.moveId()), Json.writeBytes(state));
            return new Versioned(state, stat.getVersion());
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            throw new OwnershipLost(state.moveId(), owner);
        }
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
