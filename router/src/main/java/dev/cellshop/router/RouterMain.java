package dev.cellshop.router;

import dev.cellshop.kernel.process.ProcessMain;
import java.util.Map;

/** {@code java -jar router.jar [config.properties]}: one router instance. */
public final class RouterMain {

    /**
     * Vert.x switches read once, when its classes load, so they are set before anything else.
     * Each removes per-request work a pure HTTP/1.1 proxy has no use for (measured with
     * ops/bench/router); an operator's own {@code -D} setting wins.
     * <ul>
     * <li>header validation: every header the router sends was parsed by Netty's decoder (which
     * refuses CR/LF in names and values) or is one of its own, so checking each again on the way
     * out only costs CPU;</li>
     * <li>WebSockets: the router proxies plain requests; without this, every request also passes
     * through the WebSocket extension handler of the server pipeline;</li>
     * <li>context timings: per-dispatch timestamps for Vert.x's blocked-thread checker's
     * statistics, which the router does not read.</li>
     * </ul>
     */
    static final Map<String, String> VERTX_SWITCHES = Map.of(
            "vertx.disableHttpHeadersValidation", "true",
            "vertx.disableWebsockets", "true",
            "vertx.disableContextTimings", "true");

    private RouterMain() {
    }

    public static void main(String[] args) {
        VERTX_SWITCHES.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
        ProcessMain.run("router", RouterConfig.SPEC, args, RouterVerticle::new);
    }
}
