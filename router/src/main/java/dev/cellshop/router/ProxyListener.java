package dev.cellshop.router;

import dev.cellshop.router.proxy.ProxyHandler;
import dev.cellshop.router.proxy.ProxySettings;
import dev.cellshop.router.proxy.Routing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * One more event loop of the router: a listener on the router's port (Vert.x spreads the
 * accepted connections across listeners) with its own proxy and connections to the cells.
 */
final class ProxyListener extends VerticleBase {

    private final Routing routing;
    private final Router ownRoutes;
    private final String host;
    private final int port;
    private ProxyHandler proxy;
    private HttpServer server;

    ProxyListener(Routing routing, Router ownRoutes, String host, int port) {
        this.routing = routing;
        this.ownRoutes = ownRoutes;
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        proxy = new ProxyHandler(vertx, routing);
        return vertx.createHttpServer(serverOptions(routing.settings())).connectionHandler(proxy).requestHandler(ownRoutes)
                .listen(port, host).onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
        return (server == null ? Future.succeededFuture() : server.shutdown()).onComplete(x -> proxy.close());
    }

    static HttpServerOptions serverOptions(ProxySettings settings) {
        // Vert.x answers 431 itself when the header block is larger (and 414 for a long request line).
        // Strict thread mode: each connection is handled on its own event loop without a dispatch
        // through the context; the proxy's handlers run on that loop anyway.
        // No h2c upgrade: cells and routers speak HTTP/1.1 (one less check on each request).
        // No idle timeout of Vert.x's: the proxy keeps it (limits.client-idle-timeout) without a listener per write.
        return new HttpServerOptions().setMaxHeaderSize(settings.maxHeaderBytes()).setIdleTimeout(0)
                .setTcpNoDelay(true).setCompressionSupported(false).setHttp2ClearTextEnabled(false)
                .setStrictThreadMode(true);
    }
}
