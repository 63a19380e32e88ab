package dev.cellshop.kernel.process;

import dev.cellshop.kernel.config.Config;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of every cellshop HTTP server process, written once: open its clients, mount
 * {@code /health}, {@code /ready}, {@code /metrics} and its own routes, listen; on stop,
 * stop taking requests and let in-flight ones finish before the clients close.
 */
public abstract class ServerVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(ServerVerticle.class);

    protected final Config config;
    protected final PrometheusRegistry registry = ProcessEndpoints.newRegistry();
    private HttpServer server;

    protected ServerVerticle(Config config) {
        this.config = config;
    }

    /** Opens the process's clients and names the checks {@code /ready} runs. */
    protected abstract Future<Map<String, Supplier<Future<?>>>> openClients();

    /** The process's own API; nothing by default. */
    protected void mountRoutes(Router router) {
    }

    /** Options of the HTTP server (limits, timeouts); Vert.x defaults unless overridden. */
    protected HttpServerOptions serverOptions() {
        return new HttpServerOptions();
    }

    /**
     * What handles each request; the {@link Router} with the process endpoints and
     * {@link #mountRoutes} by default. A proxy puts its own fast path in front of it.
     */
    protected Handler<HttpServerRequest> requestHandler(Router router) {
        return router;
    }

    /**
     * Called with each new connection before its first request, on the connection's event
     * loop; none by default. A proxy takes over the connection's request path here.
     */
    protected Handler<HttpConnection> connectionHandler() {
        return null;
    }

    protected abstract String host();

    protected abstract int port();

    /** Runs once the server listens (e.g. announce this instance); nothing by default. */
    protected Future<?> afterListening(int port) {
        return Future.succeededFuture();
    }

    /** Runs first on stop, while requests are still served (e.g. withdraw the announcement); nothing by default. */
    protected Future<?> beforeShutdown() {
        return Future.succeededFuture();
    }

    /** Closes what {@link #openClients()} opened, once the server no longer takes requests. */
    protected abstract Future<?> closeClients();

    @Override
    public final Future<?> start() {
        Router router = Router.router(vertx);
        return openClients().compose(readiness -> {
            ProcessEndpoints.mount(router, registry, readiness);
            mountRoutes(router);
            HttpServer created = vertx.createHttpServer(serverOptions()).requestHandler(requestHandler(router));
            Handler<HttpConnection> connections = connectionHandler();
            return (connections == null ? created : created.connectionHandler(connections)).listen(port(), host());
        }).compose(s -> {
            server = s;
            LOG.info("event=started process={} address={}:{}", getClass().getSimpleName(), host(), s.actualPort());
            return afterListening(s.actualPort());
        });
    }

    /** The port the server listens on (useful when configured as 0: any free port). */
    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public final Future<?> stop() {
        return beforeShutdown()
                .eventually(() -> server == null ? Future.succeededFuture() : server.shutdown())
                .eventually(this::closeClients);
    }
}
