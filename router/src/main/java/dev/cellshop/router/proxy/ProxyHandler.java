package dev.cellshop.router.proxy;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.router.balance.Upstream;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.HashMap;
import java.util.Map;

/**
 * The proxy of one event loop: takes over each new client connection of its listener (see
 * {@link ClientConnection}) and holds what that loop's exchanges share without locks: the
 * connections to the cells, the response deadlines, the signer and its clock.
 *
 * <p>Shop requests are proxied below Vert.x's request objects: the request the server's
 * codec decoded is edited and written to the cell's connection as bytes
 * ({@link CellRequestWriter}); the cell's response is read in place and passes to the
 * client as the bytes it came in ({@link CellResponseReader}); bodies pass as the buffers
 * read. Vert.x still accepts the connections and answers the router's own endpoints.
 */
public final class ProxyHandler implements Handler<HttpConnection> {

    /** Vert.x's name for its own handler in a server connection's pipeline; ours goes just before it. */
    private static final String VERTX_HANDLER = "handler";

    static final ByteBufAllocator BUFFERS = PlatformDependent.hasUnsafe() ? PooledByteBufAllocator.DEFAULT : ByteBufAllocator.DEFAULT;

    /** The buffers of every connection of the router's proxy, to clients and to cells. */
    public static ByteBufAllocator buffers() {
        return BUFFERS;
    }

    private final ContextInternal context;
    private final Routing routing;
    private final ProxySettings settings;
    private final ShopResolver resolver;
    private final ResponseDeadlines deadlines;
    private final UpstreamConnections upstreams;
    private final IdleClients idleClients;
    private final HttpServerOptions serverOptions;
    private final Map<CellId, AsciiString> cellNames = new HashMap<>();
    private final long idleSweepTimer;
    private final RequestSigner signer;

    /** Call on the event loop it is for (a verticle's start). */
    public ProxyHandler(Vertx vertx, Routing routing) {
        this.context = (ContextInternal) vertx.getOrCreateContext();
        this.routing = routing;
        this.settings = routing.settings();
        this.resolver = new ShopResolver(routing.directory());
        this.signer = new RequestSigner(routing.signature());
        this.deadlines = new ResponseDeadlines(settings.responseTimeout().toNanos());
        this.upstreams = new UpstreamConnections(context.nettyEventLoop(), ((VertxInternal) vertx).transport(), settings);
        deadlines.startSweeping(vertx); // on this context's event loop, with the verticle that owns it
        this.serverOptions = settings.serverOptions();
        this.idleClients = new IdleClients(settings);
        // The idle limits and the clients' deadlines are kept to within this sweep: a third of the shortest.
        long sweepMillis = Math.min(UpstreamConnections.KEEP_ALIVE_NANOS / 1_000_000, idleClients.shortestMillis()) / 3;
        idleSweepTimer = vertx.setPeriodic(Math.max(1, sweepMillis), id -> {
            long now = System.nanoTime();
            upstreams.closeIdle(now);
            idleClients.sweep(now);
        });
    }

    @Override
    public void handle(HttpConnection connection) {
        Channel channel = ((ConnectionBase) connection).channel();
        if (channel.eventLoop() != upstreams.loop()) {
            // The pools and deadlines of this handler are not thread-safe: they belong to one loop.
            throw new IllegalStateException("connection on " + channel.eventLoop() + ", proxy of " + upstreams.loop());
        }
        // Pooled buffers (per-thread caches) cost less per request here than Netty 4.2's adaptive
        // allocator (magazines shared through atomics and locks): 8% less user CPU per request in
        // an A/B of ops/bench/router's load. It needs Netty's Unsafe path (ops/lib/jdk.sh
        // server_jvm_opts): without it the arenas take direct memory through
        // ByteBuffer.allocateDirect, which stalls an event loop once that memory's limit is near;
        // so without Unsafe the proxy keeps Netty's default.
        channel.config().setAllocator(BUFFERS);
        RequestHeadDecoder decoder = RequestHeadDecoder.install(channel.pipeline(), serverOptions);
        channel.pipeline().addBefore(VERTX_HANDLER, "cellshop-proxy", new ClientConnection(this, decoder));
    }

    /** Closes the idle connections to the cells; the busy ones close with their exchanges. */
    public void close() {
        context.owner().cancelTimer(idleSweepTimer);
        upstreams.closeAll();
    }

    /** Edits the client's request head in place for {@code upstream}: it is written to the cell as it is. */
    void prepareHead(Exchange ex, long epoch, Upstream upstream) {
        HttpRequest request = ex.request;
        HttpHeaders headers = request.headers();
        HeaderEdits.removeHopByHop(headers);
        ex.frameBody(headers);
        if (!headers.contains(HttpHeaderNames.HOST)) {
            headers.set(HttpHeaderNames.HOST, upstream.instance().address()); // an HTTP/1.0 client may send none
        }
        signer.sign(request, ex.shop, epoch, ex.bodyDigest());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** Parks a FROZEN shop's request in the cutover hold; it goes on from this event loop. */
    void hold(Exchange ex, long frozenEpoch) {
        // On the context, so the hold's timer and wake-up come back to this loop.
        context.runOnContext(v -> routing.holds().awaitActive(ex.shop, frozenEpoch).onComplete(active -> {
            if (active.succeeded()) {
                ex.route();
            } else {
                ex.holdTimedOut(active.cause().getMessage());
            }
        }));
    }

    /** After a 421: the shop's placement is read again from ZooKeeper, then the request is routed by it. */
    void refreshThenRoute(Exchange ex) {
        routing.watcher().refresh(ex.shop).whenComplete((fresh, e) -> context.runOnContext(v -> ex.route()));
    }

    AsciiString cellName(CellId cell) {
        return cellNames.computeIfAbsent(cell, c -> new AsciiString(c.toString()));
    }

    Routing routing() {
        return routing;
    }

    ProxySettings settings() {
        return settings;
    }

    ShopResolver resolver() {
        return resolver;
    }

    ResponseDeadlines deadlines() {
        return deadlines;
    }

    UpstreamConnections upstreams() {
        return upstreams;
    }

    IdleClients idleClients() {
        return idleClients;
    }
}
