package dev.cellshop.cell.fencing;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** What a test opened, closed in reverse order: recipes before the clients they run on. */
final class Closer implements AutoCloseable {

    private final List<AutoCloseable> opened = new ArrayList<>();

    <T extends AutoCloseable> T add(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /**
     * A started client with a 4 s session, ZooKeeper's minimum (2 ticks of 2 s), so tests that
     * wait for a session to expire wait as little as possible.
     */
    CuratorFramework client(String connectString) {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connectString)
                .sessionTimeoutMs(4000).connectionTimeoutMs(2000)
                .retryPolicy(new ExponentialBackoffRetry(100, 5)).build();
        client.start();
        return add(client);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
        opened.clear();
    }
}
