package dev.cellshop.router;

import dev.cellshop.kernel.config.Config;
import dev.cellshop.kernel.process.ServerVerticle;
import io.vertx.core.Future;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * The router process: its ZooKeeper session and its HTTP server. Placement views,
 * balancing and proxying are mounted here by the router issue.
 */
final class RouterVerticle extends ServerVerticle {

    private CuratorFramework curator;

    RouterVerticle(Config config) {
        super(config);
    }

    @Override
    protected Future<Map<String, Supplier<Future<?>>>> openClients() {
        String zookeeper = config.getString("zookeeper.connect");
        curator = CuratorFrameworkFactory.builder().connectString(zookeeper)
                .sessionTimeoutMs((int) config.getDuration("zookeeper.session-timeout").toMillis())
                .connectionTimeoutMs(5000)
                .retryPolicy(new ExponentialBackoffRetry(200, 10)).build();
        curator.start(); // connects in the background; /ready reports when it has
        return Future.succeededFuture(Map.of("zookeeper", () -> curator.getZookeeperClient().isConnected()
                ? Future.succeededFuture() : Future.failedFuture("not connected to " + zookeeper)));
    }

    @Override
    protected String host() {
        return config.getString("router.host");
    }

    @Override
    protected int port() {
        return config.getInt("router.port");
    }

    @Override
    protected Future<?> closeClients() {
        return vertx.executeBlocking(() -> {
            curator.close(); // blocking: never on the event loop
            return null;
        });
    }
}
