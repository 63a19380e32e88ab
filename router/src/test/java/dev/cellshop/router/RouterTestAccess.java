package dev.cellshop.router;

import dev.cellshop.kernel.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/** Deploys the real router verticle inside a test JVM; returns the port it listens on. */
public final class RouterTestAccess {

    private RouterTestAccess() {
    }

    public static Future<Integer> deploy(Vertx vertx, Map<String, String> env) {
        return deployVerticle(vertx, env).map(RouterVerticle::actualPort);
    }

    static Future<RouterVerticle> deployVerticle(Vertx vertx, Map<String, String> env) {
        Config config = RouterConfig.SPEC.load(null, env);
        RouterVerticle verticle = new RouterVerticle(config);
        return vertx.deployVerticle(verticle).map(id -> verticle);
    }
}
