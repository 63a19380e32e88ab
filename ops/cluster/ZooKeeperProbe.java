import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The ZooKeeper side of ops/cluster/test-hosts, run as a source file on the ZooKeeper jars of
 * the platform (java -cp 'ops/platform/target/zookeeper/*' ops/cluster/ZooKeeperProbe.java ...):
 *
 *   write CONNECT PATH DATA   creates (or overwrites) the znode and reads it back through the
 *                             whole connect string; retries a lost connection (a member down, an
 *                             election under way) for up to 60 s; exit 0 when it reads DATA back
 */
public final class ZooKeeperProbe {
    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !args[0].equals("write")) {
            System.err.println("usage: ZooKeeperProbe write CONNECT PATH DATA");
            System.exit(2);
        }
        byte[] data = args[3].getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        CountDownLatch connected = new CountDownLatch(1);
        try (ZooKeeper zk = new ZooKeeper(args[1], 15_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        })) {
            if (!connected.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("no ZooKeeper member of " + args[1] + " answered");
            while (true) {
                try {
                    try {
                        zk.create(args[2], data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    } catch (KeeperException.NodeExistsException exists) {
                        zk.setData(args[2], data, -1);
                    }
                    String read = new String(zk.getData(args[2], false, null), StandardCharsets.UTF_8);
                    if (!read.equals(args[3])) throw new IllegalStateException("read back '" + read + "', wrote '" + args[3] + "'");
                    System.out.println("wrote " + args[2]);
                    return;
                } catch (KeeperException.ConnectionLossException lost) {
                    // The client moves on to another member by itself; the write is idempotent.
                    if (System.nanoTime() > deadline) throw lost;
                    Thread.sleep(200);
                }
            }
        }
    }
}
