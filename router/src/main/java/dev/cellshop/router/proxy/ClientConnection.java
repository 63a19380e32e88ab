package dev.cellshop.router.proxy;

import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.router.limit.ClientRateLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.net.impl.ShutdownEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A client's connection to the router, as a handler in the Vert.x server's pipeline just
 * before Vert.x's own: shop requests become {@link Exchange}s here, one at a time; the
 * router's own endpoints and requests Netty could not decode (431, 414, 400) go on to
 * Vert.x, which answers them as before.
 *
 * <p>The router's own answers are written as HTTP objects through Vert.x's encoder; a cell's
 * response is written as the bytes it came in (see {@link CellResponseReader}), from the
 * encoder's place in the pipeline, so they pass it by.
 *
 * <p>Reading stops while an exchange's streamed body waits for its cell, and while a client
 * that pipelines has a request waiting behind the one in flight.
 *
 * <p>Each request's target is made canonical first ({@link RequestTarget}): the router's own
 * paths are decided on that, and the cell gets that. A head or a body that takes too long
 * to arrive ends the connection ({@link #enforceDeadlines}, from the loop's sweep).
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    /** Vert.x's name for its response encoder in a server connection's pipeline. */
    private static final String VERTX_ENCODER = "httpEncoder";

    private final ProxyHandler proxy;
    private final RequestHeadDecoder decoder;
    private InetAddress peer;        // the socket's other end
    private boolean peerTrusted;     // a proxy of limits.trusted-proxies: its X-Forwarded-For names the client
    private boolean closing;         // an answer that ends the connection was written: nothing more is read
    private ChannelHandlerContext ctx;
    private ChannelHandlerContext raw; // Vert.x's response encoder: bytes written from there go straight to the socket
    private Exchange current;
    private boolean passingThrough;  // the parts of an own-endpoint request go to Vert.x
    private boolean vertxOnly;       // after a request Netty could not decode: Vert.x answers and closes
    private ArrayDeque<Object> queued; // pipelined requests behind the exchange in flight
    private boolean exchangePaused;
    private Object deferredShutdown;
    private boolean vertxRead;       // Vert.x got something in this read: it hears that the read is complete
    private long activeNanos = System.nanoTime(); // the last read, or the end of the last exchange
    private long endedNanos = activeNanos;        // the end of the last exchange (or the connection's start)

    ClientConnection(ProxyHandler proxy, RequestHeadDecoder decoder) {
        this.proxy = proxy;
        this.decoder = decoder;
    }

    Channel channel() {
        return ctx.channel();
    }

    /** A whole answer of the router's own, through Vert.x's encoder: flushed, and the connection closed after it unless kept alive. */
    void writeLast(Object msg, boolean keepAlive) {
        if (keepAlive) {
            ctx.writeAndFlush(msg, ctx.voidPromise());
        } else {
            closing = true;
            ctx.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Bytes of a response, written as they are. */
    void writeRaw(ByteBuf bytes) {
        raw.write(bytes, raw.voidPromise());
    }

    private static final AsciiString FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");

    void flushRaw() {
        raw.flush();
    }

    /** The end of a response written as bytes: flushed, and the connection closed after it unless it is kept alive. */
    void endRaw(boolean keepAlive) {
        if (keepAlive) {
            flushRaw();
        } else {
            closing = true;
            raw.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.raw = Objects.requireNonNull(ctx.pipeline().context(VERTX_ENCODER),
                "Vert.x's HTTP server pipeline has no '" + VERTX_ENCODER + "' handler");
        proxy.idleClients().opened(this);
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress address) {
            peer = address.getAddress();
            ClientRateLimit limit = proxy.routing().clientLimit();
            peerTrusted = limit != null && limit.trustedProxies().contains(peer);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg); // read after an answer that closes: never a request
        } else if (vertxOnly) {
            toVertx(msg);
        } else if (passingThrough) {
            passingThrough = !(msg instanceof LastHttpContent);
            toVertx(msg);
        } else if (current != null) {
            if (!current.requestEnded && msg instanceof HttpContent part) {
                current.requestContent(part);
            } else {
                queue(msg);
            }
        } else if (msg instanceof HttpRequest request) {
            begin(request);
        } else {
            ReferenceCountUtil.release(msg); // the rest of a body the router refused and stopped reading
        }
    }

    private void begin(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            vertxOnly = true;
            toVertx(request);
            return;
        }
        Problem badTarget = RequestTarget.canonicalize(request);
        if (badTarget == null && RequestTarget.isRouters(request.uri())) {
            // The router's own paths, whatever the shop headers say: Vert.x answers them (or 404).
            passingThrough = !(request instanceof LastHttpContent);
            toVertx(request);
        } else {
            current = new Exchange(proxy, this, request);
            current.start(badTarget);
            if (request instanceof HttpContent part && current != null) {
                current.requestContent(part);
            }
        }
    }

    /** 0 when the client may send this request now (or has no limit), else the seconds it is to wait. */
    long rateLimited(HttpRequest request, long nowNanos) {
        ClientRateLimit limit = proxy.routing().clientLimit();
        if (limit == null || peer == null) {
            return 0;
        }
        InetAddress client = peerTrusted ? limit.trustedProxies().client(peer, request.headers().get(FORWARDED_FOR)) : peer;
        return limit.acquire(client, nowNanos);
    }

    /**
     * From the loop's sweep: a head whose first byte came more than {@code headerNanos} ago
     * (since the last exchange ended, for a client that pipelines) gets 408 and the connection
     * closes; so does a request whose body has not all come within {@code bodyNanos} of its head.
     */
    void enforceDeadlines(long nowNanos, long headerNanos, long bodyNanos) {
        if (closing) {
            return;
        }
        if (current != null) {
            if (!current.requestEnded && current.plan != null && current.plan.present()
                    && nowNanos - current.startNanos() > bodyNanos) {
                current.bodyTimedOut(bodyNanos);
            }
            return;
        }
        long headStart = decoder.headStartedNanos();
        if (headStart != 0 && !passingThrough && !vertxOnly && nowNanos - Math.max(headStart, endedNanos) > headerNanos) {
            proxy.routing().metrics().unrouted(408);
            writeLast(Replies.response(Problem.of(408, "The request head did not arrive within "
                    + headerNanos / 1_000_000 + " ms"), null, 0), false);
        }
    }

    private void toVertx(Object msg) {
        vertxRead = true;
        ctx.fireChannelRead(msg);
    }

    private void queue(Object msg) {
        if (queued == null) {
            queued = new ArrayDeque<>(4);
        }
        queued.add(msg);
        updateReading();
    }

    /** The exchange in flight has read its whole request. */
    void requestRead(Exchange ex) {
        if (ex == current && ex.responseEnded) {
            ended();
        }
    }

    /** The exchange in flight has written its whole response. */
    void responseWritten(Exchange ex) {
        if (ex == current && ex.requestEnded) {
            ended();
        }
    }

    /** How long nothing has happened on this connection; 0 while an exchange is in flight. */
    long quietSince(long nowNanos) {
        return current != null ? 0 : nowNanos - activeNanos;
    }

    private void ended() {
        current = null;
        activeNanos = System.nanoTime();
        endedNanos = activeNanos;
        exchangePaused = false;
        while (queued != null && !queued.isEmpty() && (current == null || !current.requestEnded)) {
            channelRead(ctx, queued.poll());
        }
        if (current == null && deferredShutdown != null) {
            Object shutdown = deferredShutdown;
            deferredShutdown = null;
            ctx.fireUserEventTriggered(shutdown);
        }
        updateReading();
    }

    /** The exchange's wish: read on, or wait (its streamed body has nowhere to go yet). */
    void reading(boolean on) {
        exchangePaused = !on;
        updateReading();
    }

    private void updateReading() {
        boolean read = !exchangePaused && (queued == null || queued.isEmpty());
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        activeNanos = System.nanoTime();
        if (current != null) {
            current.clientReadComplete();
        }
        if (vertxRead) {
            vertxRead = false;
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null && ctx.channel().isWritable()) {
            current.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // A graceful stop: Vert.x sees none of the exchanges, so it would close at once; it
        // hears of the stop once the exchange in flight is over.
        if (evt instanceof ShutdownEvent && current != null) {
            deferredShutdown = evt;
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        proxy.idleClients().closed(this);
        if (current != null) {
            Exchange gone = current;
            current = null;
            gone.clientGone();
        }
        if (queued != null) {
            queued.forEach(ReferenceCountUtil::release);
            queued = null;
        }
        ctx.fireChannelInactive();
    }
}
