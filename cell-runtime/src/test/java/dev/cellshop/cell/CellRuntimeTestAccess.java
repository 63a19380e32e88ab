package dev.cellshop.cell;

import dev.cellshop.kernel.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/** Deploys the real cell-runtime verticle inside a test JVM. */
public final class CellRuntimeTestAccess {

    /** A deployed instance: its deployment id (to undeploy it, as a SIGTERM would) and the port it listens on. */
    public record Deployed(String deploymentId, int port) {
    }

    private CellRuntimeTestAccess() {
    }

    public static Future<Deployed> deploy(Vertx vertx, Map<String, String> env) {
        Config config = CellRuntimeConfig.SPEC.load(null, env);
        CellRuntimeVerticle verticle = new CellRuntimeVerticle(config);
        return vertx.deployVerticle(verticle).map(id -> new Deployed(id, verticle.actualPort()));
    }
}
