package dev.cellshop.router;

import dev.cellshop.router.proxy.ProxyHandler;
import dev.cellshop.router.proxy.Routing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
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
        return vertx.createHttpServer(routing.settings().serverOptions()).connectionHandler(proxy).requestHandler(ownRoutes)
                .listen(port, host).onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
        return (server == null ? Future.succeededFuture() : server.shutdown()).onComplete(x -> proxy.close());
    }
}
