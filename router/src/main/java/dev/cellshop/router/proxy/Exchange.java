package dev.cellshop.router.proxy;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.router.balance.Upstream;
import dev.cellshop.router.breaker.CellBreaker;
import dev.cellshop.router.metrics.RouterMetrics.CellSeries;
import dev.cellshop.router.metrics.RouterMetrics.ErrorKind;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One request's trip through the router, on its connection's event loop: which shop and
 * cell, which instance, the request to it, the answer back, and the retries in between.
 *
 * <p>Bodies stream both ways as Netty decodes them; only a body small enough to be sent
 * again ({@link ProxySettings#replayBodyBytes}) is read first and kept. Retries: a refused
 * connection goes once to another instance (nothing was sent); a connection closed before
 * any answer is sent again when the request may be repeated; a 421 (the cell's fence: our
 * placement is stale) refreshes the shop's placement and goes once more whenever the whole
 * request can be sent again, since the cell did nothing.
 */
final class Exchange extends ResponseDeadlines.Waiting implements UpstreamConnections.Waiter {

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE);
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    final ProxyHandler proxy;
    final ClientConnection client;
    final HttpRequest request;
    final long startNanos;
    private final boolean clientKeepAlive;
    ShopId shop;
    CellId cell;
    long declaredLength;        // Content-Length, or -1 without one
    boolean chunked;            // a body of unknown length
    boolean hasBody;
    private boolean replayable; // may be repeated even if a cell may have processed it (idempotent or keyed)
    CompositeByteBuf body;      // the kept body (read in full before routing), or null when it streams
    private List<HttpContent> pending; // streamed body parts read before an upstream connection exists
    private long bodyBytes;
    boolean bodyTouched;        // part of a streamed body went to a cell
    boolean requestEnded;       // the client's request has been read to its end
    private boolean requestSent; // ... and all of it went to the current upstream connection
    private boolean connectRetried;
    private int closedConnections; // pooled connections that closed under this request before any answer
    private boolean misdirectRetried;
    private boolean discarding;  // reading away an answer we do not forward (1xx, or a 421 we retry)
    private boolean retryAfterDiscard;
    boolean answered;            // the router answered (or the client left): late upstream events are ignored
    boolean responseStarted;     // the cell's response head went to the client
    boolean responseEnded;
    private boolean clientUnflushed;
    private boolean upstreamUnflushed;
    private int status;
    private Upstream avoid;
    private Upstream target;
    private CellBreaker breaker;
    private CellSeries series;
    UpstreamConnection upstream; // the attempt in flight
    private boolean timedOut;    // ... was cut by its response deadline

    Exchange(ProxyHandler proxy, ClientConnection client, HttpRequest request) {
        this.proxy = proxy;
        this.client = client;
        this.request = request;
        this.startNanos = System.nanoTime();
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
    }

    // ------------------------------------------------------------------ the request

    void start() {
        HttpHeaders headers = request.headers();
        HeaderEdits.stripCellshop(headers);
        try {
            shop = proxy.resolver().resolve(headers);
            checkBody(headers);
        } catch (ProblemException e) {
            proxy.routing().metrics().unrouted(e.problem().status());
            Replies.answer(this, e.problem(), 0);
            return;
        }
        if (hasBody && declaredLength <= proxy.settings().replayBodyBytes() && declaredLength >= 0) {
            body = client.channel().alloc().compositeBuffer(Integer.MAX_VALUE); // routed once it is all here
        } else {
            route();
        }
    }

    private void checkBody(HttpHeaders headers) {
        String lengthHeader = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        long length = -1;
        if (lengthHeader != null) {
            try {
                length = Long.parseLong(lengthHeader.trim());
            } catch (NumberFormatException e) {
                length = -2;
            }
            if (length < 0) {
                throw new ProblemException(Problem.badRequest("Content-Length '" + lengthHeader + "' is not a byte count"));
            }
            long max = proxy.settings().maxBodyBytes();
            if (length > max) {
                throw new ProblemException(Problem.payloadTooLarge("The request body is " + length
                        + " bytes; at most " + max + " are accepted"));
            }
        }
        declaredLength = length;
        chunked = length < 0 && HttpUtil.isTransferEncodingChunked(request);
        hasBody = length > 0 || chunked;
        boolean keepBody = length >= 0 && length <= proxy.settings().replayBodyBytes();
        boolean retryable = IDEMPOTENT.contains(request.method()) || headers.contains(IDEMPOTENCY_KEY);
        replayable = retryable && (!hasBody || keepBody);
    }

    /** A part of the client's request body (the last one ends the request). */
    void requestContent(HttpContent part) {
        boolean last = part instanceof LastHttpContent;
        if (last) {
            requestEnded = true;
        }
        if (answered || !hasBody) {
            part.release(); // refused: read away, so the connection can carry the next request
        } else if (body != null) {
            body.addComponent(true, part.content()); // kept: routed once the last part is here
            if (last) {
                route();
            }
        } else {
            stream(part, last);
        }
        if (last) {
            client.requestRead(this);
        }
    }

    private void stream(HttpContent part, boolean last) {
        bodyBytes += part.content().readableBytes();
        if (bodyBytes > proxy.settings().maxBodyBytes()) {
            part.release();
            Replies.answer(this, Problem.payloadTooLarge("The request body exceeds " + proxy.settings().maxBodyBytes()
                    + " bytes"), 0);
            abandonUpstream();
            return;
        }
        if (upstream == null) {
            pending().add(part);
            return;
        }
        Channel channel = upstream.channel;
        channel.write(part, channel.voidPromise());
        upstreamUnflushed = true;
        if (last) {
            requestSent = true;
            flushUpstream();
        } else if (!channel.isWritable()) {
            client.reading(false); // until the cell's connection drains
        }
    }

    /** The client's read ended: what it sent goes out in one flush. */
    void clientReadComplete() {
        flushUpstream();
    }

    private List<HttpContent> pending() {
        if (pending == null) {
            pending = new ArrayList<>(4);
        }
        return pending;
    }

    // ------------------------------------------------------------------ routing

    void route() {
        if (answered) {
            return;
        }
        if (body == null && hasBody && !requestEnded) {
            client.reading(false); // the streamed body waits (for a connection, or out of a hold)
        }
        Placement placement = proxy.routing().directory().placement(shop);
        if (placement == null) {
            proxy.routing().metrics().unrouted(404);
            Replies.answer(this, Problem.notFound("Shop " + shop + " does not exist"), 0);
            return;
        }
        cell = placement.cellId();
        series = proxy.routing().metrics().cell(cell);
        if (placement.state() == PlacementState.FROZEN) {
            proxy.hold(this, placement.epoch());
            return;
        }
        breaker = proxy.routing().breaker(cell);
        long now = System.nanoTime();
        if (!breaker.tryAcquire(now)) {
            series.error(ErrorKind.BREAKER_OPEN);
            Replies.answer(this, Problem.serviceUnavailable("Cell " + cell + " of shop " + shop
                    + " is failing; its circuit breaker is open"), breaker.retryAfterSeconds(now));
            return;
        }
        Upstream picked = proxy.routing().instances().pool(cell).pick(now, avoid);
        if (picked == null) {
            breaker.onFailure(now);
            series.error(ErrorKind.NO_INSTANCE);
            Replies.answer(this, Problem.serviceUnavailable("Cell " + cell + " of shop " + shop
                    + " has no live instance that can take requests"), 1);
            return;
        }
        target = picked;
        proxy.prepareHead(this, placement.epoch(), picked);
        picked.started();
        proxy.upstreams().acquire(picked, this);
    }

    /** The shop's cutover hold ended with the placement ACTIVE again. */
    void heldUntilActive() {
        route();
    }

    void holdTimedOut(String message) {
        series.error(ErrorKind.HOLD_TIMEOUT);
        Replies.answer(this, Problem.serviceUnavailable(message), 1);
    }

    @Override
    public void attached(UpstreamConnection connection) {
        if (answered) { // the client left, or was refused, while we connected: the connection is unused
            target.finished();
            proxy.upstreams().release(connection);
            return;
        }
        upstream = connection;
        connection.exchange = this;
        timedOut = false;
        Channel channel = connection.channel;
        channel.write(request, channel.voidPromise());
        if (!hasBody) {
            channel.write(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
            requestSent = true;
        } else if (body != null) {
            channel.write(new DefaultLastHttpContent(body.retainedDuplicate()), channel.voidPromise());
            requestSent = true;
        } else {
            bodyTouched = true;
            if (pending != null) {
                pending.forEach(part -> channel.write(part, channel.voidPromise()));
                pending.clear();
            }
            requestSent = requestEnded;
            client.reading(true);
        }
        channel.flush();
        proxy.deadlines().arm(this, System.nanoTime());
    }

    @Override
    public void connectFailed(Throwable cause) {
        target.finished();
        transportFailed(ErrorKind.CONNECT, true);
        if (answered) {
            return;
        }
        if (!connectRetried && !bodyTouched) {
            connectRetried = true; // nothing was sent: another instance may take it
            avoid = target;
            route();
        } else {
            Replies.answer(this, Problem.serviceUnavailable("Cell " + cell + " of shop " + shop
                    + " did not accept a connection: " + cause.getMessage()), 1);
        }
    }

    // ------------------------------------------------------------------ the response

    void fromUpstream(Object msg) {
        if (msg instanceof HttpResponse head) {
            responseHead(head);
        }
        if (msg instanceof HttpContent part) {
            responseContent(part);
        }
    }

    private void responseHead(HttpResponse head) {
        if (head.decoderResult().isFailure()) {
            upstream.channel.close(); // a broken answer: as if the cell had closed the connection
            discarding = true;
            return;
        }
        int code = head.status().code();
        if (code < 200 && code != 101) {
            discarding = true; // 100 Continue and friends: the real answer follows
            return;
        }
        breaker.onSuccess();
        if (code == 421 && requestSent && (body != null || !hasBody) && !misdirectRetried && !answered) {
            // The cell's fence refused before any handler ran: nothing was done, so any request
            // we can send again goes again (not only idempotent ones, as after a closed
            // connection). This keeps a move's cutover from failing writes that raced the freeze.
            misdirectRetried = true;
            series.error(ErrorKind.MISDIRECTED_RETRY);
            proxy.deadlines().disarm(this);
            discarding = true;
            retryAfterDiscard = true;
            return;
        }
        if (answered) {
            discarding = true;
            return;
        }
        status = code;
        responseStarted = true;
        Replies.editResponseHead(this, head, clientKeepAlive && requestEnded);
        client.channel().write(head, client.channel().voidPromise());
        clientUnflushed = true;
    }

    private void responseContent(HttpContent part) {
        boolean last = part instanceof LastHttpContent;
        if (discarding || answered) {
            part.release();
            if (last) {
                discarding = false;
                if (retryAfterDiscard || answered) {
                    endAttempt(requestSent && !answered);
                    if (retryAfterDiscard) {
                        retryAfterDiscard = false;
                        proxy.refreshThenRoute(this);
                    }
                }
            }
            return;
        }
        Channel out = client.channel();
        if (!last) {
            proxy.deadlines().arm(this, System.nanoTime()); // the cell is sending: its next part is due within the timeout
            out.write(part, out.voidPromise());
            clientUnflushed = true;
            if (!out.isWritable()) {
                upstream.channel.config().setAutoRead(false); // until the client drains
            }
            return;
        }
        responseEnded = true;
        boolean keepAlive = clientKeepAlive && requestEnded;
        endAttempt(requestSent);
        clientUnflushed = false;
        if (keepAlive) {
            out.writeAndFlush(part, out.voidPromise());
        } else {
            out.writeAndFlush(part).addListener(ChannelFutureListener.CLOSE);
        }
        completed(status);
        client.responseWritten(this);
    }

    /** The attempt on the current connection is over; a connection that finished its exchange cleanly is reused. */
    private void endAttempt(boolean reusable) {
        proxy.deadlines().disarm(this);
        UpstreamConnection connection = upstream;
        upstream = null;
        target.finished();
        if (connection != null) {
            connection.channel.config().setAutoRead(true);
            if (reusable) {
                proxy.upstreams().release(connection);
            } else {
                connection.exchange = null;
                connection.channel.close();
            }
        }
    }

    void upstreamReadComplete() {
        if (clientUnflushed) {
            clientUnflushed = false;
            client.channel().flush();
        }
    }

    void upstreamWritabilityChanged(boolean writable) {
        if (writable) {
            client.reading(true);
        }
    }

    /** The client can take more: the cell may send again. */
    void clientWritable() {
        if (upstream != null) {
            upstream.channel.config().setAutoRead(true);
        }
    }

    private void flushUpstream() {
        if (upstreamUnflushed && upstream != null) {
            upstreamUnflushed = false;
            upstream.channel.flush();
        }
    }

    /** The cell sent nothing within the response timeout: cut the connection; {@link #upstreamClosed} answers. */
    @Override
    void expired() {
        if (upstream != null) {
            timedOut = true;
            upstream.channel.close();
        }
    }

    /** The connection to the cell closed under this exchange (the cell, the network, or our deadline). */
    void upstreamClosed(Throwable cause) {
        proxy.deadlines().disarm(this);
        upstream = null;
        target.finished();
        if (answered) {
            return;
        }
        if (responseStarted) {
            series.error(ErrorKind.RESET); // mid-response: all we can do is cut the client's too
            answered = true;
            client.channel().close();
            completed(status);
            return;
        }
        if (retryAfterDiscard) {
            retryAfterDiscard = false;
            discarding = false;
            proxy.refreshThenRoute(this);
            return;
        }
        boolean timeout = timedOut;
        boolean again = !timeout && replayable && (body != null || !hasBody);
        // Closed before any answer: most often a pooled keep-alive connection the instance
        // closed as we reused it (it is stopping, or idled out). Once is no verdict on the
        // instance; closed again on the retry, it is going away: out of the pool for now.
        transportFailed(timeout ? ErrorKind.TIMEOUT : ErrorKind.RESET, timeout || again && closedConnections > 0);
        if (again && closedConnections < 2) {
            closedConnections++;
            requestSent = false;
            route();
            return;
        }
        String why = cause == null || cause.getMessage() == null ? "closed" : cause.getMessage();
        Replies.answer(this, timeout
                ? Problem.of(504, "Cell " + cell + " did not answer within " + proxy.settings().responseTimeout().toMillis() + " ms")
                : Problem.of(502, "Cell " + cell + " closed the connection: " + why), 1);
    }

    /** The client's connection closed: nothing more goes to it, and the cell's stream is cut. */
    void clientGone() {
        if (responseStarted && !responseEnded) {
            series.error(ErrorKind.RESET);
            completed(status);
        }
        answered = true;
        abandonUpstream();
        release();
    }

    /** Refused mid-request or left: the connection to the cell is cut, as its request cannot be completed. */
    private void abandonUpstream() {
        if (upstream != null) {
            endAttempt(false);
        }
    }

    /** Frees the buffers this exchange still holds. */
    void release() {
        if (pending != null) {
            pending.forEach(ReferenceCountUtil::release);
            pending = null;
        }
        if (body != null && body.refCnt() > 0) {
            body.release();
        }
    }

    private void transportFailed(ErrorKind kind, boolean eject) {
        long now = System.nanoTime();
        if (eject) {
            target.eject(now + ProxySettings.EJECTION.toNanos());
        }
        breaker.onFailure(now);
        series.error(kind);
        Replies.LOG.warn("event=upstream_failed cell={} instance={} kind={}", target.cellId(), target.instance().instanceId(), kind);
    }

    void completed(int finalStatus) {
        long nanos = System.nanoTime() - startNanos;
        if (cell != null) {
            proxy.routing().metrics().cell(cell).completed(finalStatus, nanos);
        }
        if (proxy.settings().accessLog()) {
            Replies.ACCESS.info("event=request shop={} cell={} method={} path=\"{}\" status={} micros={}", shop, cell,
                    request.method(), Replies.path(request), finalStatus, nanos / 1000);
        }
    }

    boolean clientKeepAlive() {
        return clientKeepAlive;
    }
}
