package dev.cellshop.control;

import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

/**
 * A second control plane beside the test platform's, in the test's JVM: the same server
 * ({@link ControlPlaneVerticle}) on the platform's ZooKeeper root, cells and secrets, on a
 * free port of its own, so the two hold a leader election.
 */
public final class SecondControlPlane implements AutoCloseable {

    private final Vertx vertx;
    private final String url;

    private SecondControlPlane(Vertx vertx, String url) {
        this.vertx = vertx;
        this.url = url;
    }

    public static SecondControlPlane start(PlatformEndpoints platform, Path stateDir) {
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        var config = ControlPlaneConfig.SPEC.load(null, Map.of(
                "CELLSHOP_CONTROL_HOST", "127.0.0.1",
                "CELLSHOP_CONTROL_PORT", Integer.toString(port),
                "CELLSHOP_CONTROL_ADVERTISED_URL", url,
                "CELLSHOP_ZOOKEEPER_CONNECT", platform.zookeeper(),
                "CELLSHOP_PLATFORM_TOKEN", platform.platformToken(),
                "CELLSHOP_SIGNING_SECRET", platform.signingSecret(),
                "CELLSHOP_CELL_SECRETS_DIR", stateDir.resolve("secrets/cells").toString()));
        Vertx vertx = Vertx.vertx();
        try {
            vertx.deployVerticle(new ControlPlaneVerticle(config)).await();
        } catch (RuntimeException e) {
            vertx.close().await();
            throw e;
        }
        return new SecondControlPlane(vertx, url);
    }

    /** Its base URL, which is also its id in the election. */
    public String url() {
        return url;
    }

    /** host:port, as platform.json names the platform's control plane. */
    public String address() {
        return url.substring("http://".length());
    }

    /** Stops it as SIGTERM stops a control plane: its movers park, then it leaves the election. */
    @Override
    public void close() {
        vertx.close().await();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
