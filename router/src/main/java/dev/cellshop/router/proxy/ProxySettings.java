package dev.cellshop.router.proxy;

import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;

/** The proxy's limits and timeouts, from the router's configuration. */
public record ProxySettings(int maxHeaderBytes, long maxBodyBytes, int replayBodyBytes, Duration connectTimeout,
                            Duration responseTimeout, int maxConnectionsPerInstance, int maxInFlightPerInstance,
                            Duration clientIdleTimeout, Duration headerTimeout, Duration bodyTimeout, boolean accessLog) {

    /** How long a failed instance gets no traffic unless its /ready probe passes first. */
    public static final Duration EJECTION = Duration.ofSeconds(5);

    /** The options of the router's listeners; the proxy's request decoder ({@link RequestHeadDecoder}) is made from the same. */
    public HttpServerOptions serverOptions() {
        // Vert.x answers 431 itself when the header block is larger (and 414 for a long request line).
        // Strict thread mode: each connection is handled on its own event loop without a dispatch
        // through the context; the proxy's handlers run on that loop anyway.
        // No h2c upgrade: cells and routers speak HTTP/1.1 (one less check on each request).
        // No idle timeout of Vert.x's: the proxy keeps it (limits.client-idle-timeout) without a listener per write.
        return new HttpServerOptions().setMaxHeaderSize(maxHeaderBytes).setIdleTimeout(0)
                .setTcpNoDelay(true).setCompressionSupported(false).setHttp2ClearTextEnabled(false)
                .setStrictThreadMode(true);
    }
}
