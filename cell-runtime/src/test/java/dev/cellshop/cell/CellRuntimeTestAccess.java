package dev.cellshop.cell;

import dev.cellshop.kernel.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/** Deploys the real cell-runtime verticle inside a test JVM; returns the port it listens on. */
public final class CellRuntimeTestAccess {

    private CellRuntimeTestAccess() {
    }

    public static Future<Integer> deploy(Vertx vertx, Map<String, String> env) {
        Config config = CellRuntimeConfig.SPEC.load(null, env);
        CellRuntimeVerticle verticle = new CellRuntimeVerticle(config);
        return vertx.deployVerticle(verticle).map(id -> verticle.actualPort());
    }
}
