package dev.cellshop.router.proxy;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.BodyDigest;
import dev.cellshop.router.balance.Upstream;
import dev.cellshop.router.breaker.CellBreaker;
import dev.cellshop.router.metrics.RouterMetrics.CellSeries;
import dev.cellshop.router.metrics.RouterMetrics.ErrorKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's trip through the router, on its connection's event loop: which shop and
 * cell, which instance (each try an {@link UpstreamAttempt}), and what the client gets.
 *
 * <p>The client's request is decoded by the server's codec; the cell's side is bytes both
 * ways ({@link CellRequestWriter}, {@link CellResponseReader}), and the response reaches the
 * client as the bytes the cell sent, past the server's encoder. Bodies stream both ways; only a body small enough to be sent
 * again ({@link ProxySettings#replayBodyBytes}) is read first and kept. Retries: a refused
 * connection goes once to another instance (nothing was sent); a connection closed before
 * any answer is tried again when the request may be repeated; a 421 (the cell's fence: our
 * placement is stale) refreshes the shop's placement and goes once more whenever the whole
 * request can be sent again.
 */
final class Exchange {

    private static final ByteBuf CONTINUE = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("HTTP/1.1 100 Continue\r\n\r\n", StandardCharsets.US_ASCII)).asReadOnly();

    final ProxyHandler proxy;
    final ClientConnection client;
    final HttpRequest request;
    private final long startNanos;
    final boolean clientKeepAlive;
    final boolean clientHttp10;  // the client speaks HTTP/1.0: no chunked bodies to it
    private boolean keepAliveAfter; // the client's connection carries on after this response
    ShopId shop;
    CellId cell;
    RequestBody plan;            // null until the head is read
    private CompositeByteBuf body; // the kept body, or null when it streams
    private List<HttpContent> pending; // streamed body parts read before a connection exists
    private long bodyBytes;
    private String bodyDigest;   // the signed digest of the body, once computed (every attempt signs the same body)
    boolean bodyTouched;         // part of a streamed body went to a cell
    boolean bodyWithheld;        // the client waits for a 100 Continue before it sends its body
    boolean requestEnded;        // the client's request has been read to its end
    boolean answered;            // the router answered (or the client left): late upstream events are ignored
    boolean responseStarted;     // the cell's response head went to the client
    boolean responseEnded;
    private boolean clientUnflushed;
    private boolean connectRetried;
    private boolean misdirectRetried;
    private int closedConnections; // pooled connections that closed under this request before any answer
    private int status;
    private Upstream avoid;
    private UpstreamAttempt attempt;

    Exchange(ProxyHandler proxy, ClientConnection client, HttpRequest request) {
        this.proxy = proxy;
        this.client = client;
        this.request = request;
        this.startNanos = System.nanoTime();
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        this.clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    }

    /** {@code badTarget}: why the request's target could not be made canonical ({@link RequestTarget}), or null. */
    void start(Problem badTarget) {
        HeaderEdits.stripCellshop(request.headers());
        plan = RequestBody.of(request, proxy.settings().replayBodyBytes());
        long retryAfter = client.rateLimited(request, startNanos);
        Problem refused;
        try {
            refused = retryAfter > 0 ? Problem.tooManyRequests("This client sent more than its "
                    + "share of requests to the router; try again in " + retryAfter + " s") : badTarget;
            if (refused == null) {
                refused = plan.refusal(request, proxy.settings().maxBodyBytes());
            }
            if (refused == null && RequestTarget.isInternal(request.uri())) {
                refused = Problem.notFound("No such resource: the router never forwards the cells' /internal endpoints");
            }
            shop = refused == null ? proxy.resolver().resolve(request.headers()) : null;
        } catch (ProblemException e) {
            refused = e.problem();
        }
        bodyWithheld = plan.present() && HttpUtil.is100ContinueExpected(request);
        if (refused != null) {
            if (retryAfter > 0) {
                proxy.routing().metrics().clientLimited();
            }
            proxy.routing().metrics().unrouted(refused.status());
            Replies.answer(this, refused, retryAfter);
            return;
        }
        if (bodyWithheld) {
            // The router reads the body itself (kept, or streamed as the cell takes it), so it
            // asks for it now, as nginx does; the cell never sees the expectation.
            request.headers().remove(HttpHeaderNames.EXPECT);
            client.writeRaw(CONTINUE.duplicate());
            client.flushRaw();
            bodyWithheld = false;
        }
        if (plan.keep()) {
            body = client.channel().alloc().compositeBuffer(Integer.MAX_VALUE); // routed once it is all here
        } else {
            route();
        }
    }

    /** A part of the client's request body (the last one ends the request). */
    void requestContent(HttpContent part) {
        if (part.decoderResult().isFailure()) {
            malformedBody(part);
            return;
        }
        boolean last = part instanceof LastHttpContent;
        if (last) {
            requestEnded = true;
        }
        if (answered || responseEnded || !plan.present()) {
            part.release(); // refused, or answered before it all came: read away, so the connection can carry the next request
        } else if (body != null) {
            proxy.routing().metrics().bodyBytesHeld(part.content().readableBytes());
            body.addComponent(true, part.content());
            if (plan.chunked() && body.readableBytes() > Math.min(proxy.settings().replayBodyBytes(), proxy.settings().maxBodyBytes())) {
                streamHeldBody(last);
            } else if (last) {
                route();
            }
        } else {
            stream(part, last);
        }
        if (last) {
            client.requestRead(this);
        }
    }

    /**
     * The decoder could not read the body (a chunk size that overflows, bad chunk framing):
     * its "last part" is no end of the body. Nothing more of it reaches a cell (its connection
     * is cut, never ended as if whole); 400, and the connection closes.
     */
    private void malformedBody(HttpContent part) {
        Throwable cause = part.decoderResult().cause();
        part.release();
        boolean wasAnswered = answered;
        Replies.answer(this, Problem.badRequest("The request body's framing is invalid: "
                + (cause == null ? "unreadable" : cause.getMessage())), 0); // the body never ended: the connection closes
        if (attempt != null) {
            attempt.abandon();
        }
        if (wasAnswered) {
            client.channel().close();
        }
    }

    private void stream(HttpContent part, boolean last) {
        bodyBytes += part.content().readableBytes();
        if (bodyBytes > proxy.settings().maxBodyBytes()) {
            part.release();
            Replies.answer(this, Problem.payloadTooLarge("The request body exceeds " + proxy.settings().maxBodyBytes()
                    + " bytes"), 0);
            if (attempt != null) {
                attempt.abandon();
            }
        } else if (attempt == null || !attempt.connected()) {
            pending().add(part);
        } else {
            attempt.send(part, last);
        }
    }

    /** A chunked body outgrew what the router keeps: what is held goes first, the rest streams, unsigned. */
    private void streamHeldBody(boolean last) {
        CompositeByteBuf held = body;
        body = null;
        proxy.routing().metrics().bodyBytesHeld(-held.readableBytes()); // streamed from here: the cell's connection holds it
        plan = plan.streamed();
        stream(last ? new DefaultLastHttpContent(held) : new DefaultHttpContent(held), last);
        route();
    }

    /** The body's framing to the cell: a kept body goes with its length, a streamed chunked one with chunks. */
    void frameBody(HttpHeaders headers) {
        if (plan.chunkedToCell()) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (plan.chunked() && body != null) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            headers.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
    }

    /** The signed digest of the body: of the kept one, or the marker of none or of one streamed unsigned. */
    String bodyDigest() {
        if (bodyDigest == null) {
            bodyDigest = !plan.present() ? BodyDigest.NONE : body != null ? BodyDigest.of(body.nioBuffers()) : BodyDigest.UNSIGNED;
        }
        return bodyDigest;
    }

    void clientReadComplete() {
        if (attempt != null) {
            attempt.flush();
        }
    }

    private List<HttpContent> pending() {
        if (pending == null) {
            pending = new ArrayList<>(4);
        }
        return pending;
    }

    void route() {
        attempt = null;
        if (answered) {
            return;
        }
        if (body == null && plan.present() && !requestEnded) {
            client.reading(false); // the streamed body waits (for a connection, or out of a hold)
        }
        Placement placement = proxy.routing().directory().placement(shop);
        if (placement == null) {
            proxy.routing().metrics().unrouted(404);
            Replies.answer(this, Problem.notFound("Shop " + shop + " does not exist"), 0);
            return;
        }
        cell = placement.cellId();
        CellSeries series = proxy.routing().metrics().cell(cell);
        if (placement.state() == PlacementState.FROZEN) {
            proxy.hold(this, placement.epoch());
            return;
        }
        CellBreaker breaker = proxy.routing().breaker(cell);
        long now = System.nanoTime();
        Upstream picked = proxy.routing().instances().pool(cell).pick(now, avoid);
        int limit = proxy.settings().maxInFlightPerInstance();
        if (picked != null && picked.outstanding() >= limit) {
            // The less busy of two instances is full: the cell is slower than its traffic. A fast
            // 503 sheds the excess instead of queueing it into the cell; before the breaker, so
            // a shed request is never its probe, and it is no failure of the cell's.
            series.error(ErrorKind.IN_FLIGHT_LIMIT);
            Replies.answer(this, Problem.serviceUnavailable("Cell " + cell + " of shop " + shop + " has " + limit
                    + " requests in flight on its least busy instance, the most this router sends it"), 1);
            return;
        }
        if (!breaker.tryAcquire(now)) {
            series.error(ErrorKind.BREAKER_OPEN);
            Replies.answer(this, Problem.serviceUnavailable("Cell " + cell + " of shop " + shop
                    + " is failing; its circuit breaker is open"), breaker.retryAfterSeconds(now));
            return;
        }
        if (picked == null) {
            breaker.onFailure(now);
            series.error(ErrorKind.NO_INSTANCE);
            Replies.answer(this, Problem.serviceUnavailable("Cell " + cell + " of shop " + shop
                    + " has no live instance that can take requests"), 1);
            return;
        }
        proxy.prepareHead(this, placement.epoch(), picked);
        attempt = new UpstreamAttempt(this, picked, breaker, series);
        attempt.start();
    }

    long startNanos() {
        return startNanos;
    }

    /** The client's body did not all come within limits.body-timeout: 408 (or a cut, once an answer has begun), and the connection ends. */
    void bodyTimedOut(long bodyNanos) {
        if (answered) {
            client.channel().close(); // the answer is out and the rest of the body is still awaited: no more of it
            return;
        }
        Replies.answer(this, Problem.of(408, "The request body did not arrive within " + bodyNanos / 1_000_000 + " ms"), 0);
        if (attempt != null) {
            attempt.abandon(); // the cell never gets the rest: its connection is cut, not ended as if whole
        }
    }

    void holdTimedOut(String message) {
        proxy.routing().metrics().cell(cell).error(ErrorKind.HOLD_TIMEOUT);
        Replies.answer(this, Problem.serviceUnavailable(message), 1);
    }

    /** Writes the request (head and whatever of the body is here) to a new attempt's connection; true if it is all sent. */
    boolean writeRequest(Channel channel) {
        CellRequestWriter.writeHead(channel, request);
        if (!plan.present()) {
            return true;
        }
        if (body != null) {
            channel.write(body.retainedDuplicate(), channel.voidPromise()); // a kept body has a Content-Length
            return true;
        }
        bodyTouched = true;
        if (pending != null) {
            pending.forEach(part -> CellRequestWriter.writeBody(channel, part, plan.chunked()));
            pending.clear();
        }
        client.reading(true);
        return requestEnded;
    }

    void connectFailed(UpstreamAttempt failed, Throwable cause) {
        if (answered) {
            return;
        }
        if (!connectRetried && !bodyTouched) {
            connectRetried = true; // nothing was sent: another instance may take it
            avoid = failed.target;
            route();
        } else {
            Replies.answer(this, Problem.serviceUnavailable("Cell " + cell + " of shop " + shop
                    + " did not accept a connection: " + cause.getMessage()), 1);
        }
    }

    /** A 421 may be retried once, and only when the whole request can be sent again. */
    boolean claimMisdirectedRetry() {
        if (misdirectRetried || answered || !plan.resendable()) {
            return false;
        }
        misdirectRetried = true;
        return true;
    }

    /** The 421 is read away: route again by the shop's placement as ZooKeeper has it now. */
    void misdirected() {
        attempt = null;
        proxy.refreshThenRoute(this);
    }

    /** The attempt's connection closed before the response ended: cut, retried, 502 or 504. */
    void attemptFailed(UpstreamAttempt failed, boolean timeout, Throwable cause) {
        attempt = null;
        boolean malformed = cause instanceof MalformedResponseException;
        ErrorKind kind = timeout ? ErrorKind.TIMEOUT : malformed ? ErrorKind.MALFORMED : ErrorKind.RESET;
        if (responseStarted) {
            proxy.routing().metrics().cell(cell).error(kind); // the cell answered: no verdict on it
            answered = true;
            client.channel().close(); // mid-response: all we can do is cut the client's too
            completed(status);
            return;
        }
        boolean again = !timeout && plan.replayable() && plan.resendable();
        // Closed before any answer: most often a pooled keep-alive connection the instance
        // closed as we reused it (it is stopping, or idled out). Once is no verdict on the
        // instance; closed again on the retry, it is going away: out of the pool for now.
        // One that answers what is no HTTP response is broken: out at once.
        failed.failed(kind, timeout || malformed || again && closedConnections > 0);
        if (again && closedConnections < 2) {
            closedConnections++;
            route();
            return;
        }
        String why = cause == null || cause.getMessage() == null ? "closed" : cause.getMessage();
        Replies.answer(this, timeout
                ? Problem.of(504, "Cell " + cell + " did not answer within " + proxy.settings().responseTimeout().toMillis() + " ms")
                : malformed ? Problem.of(502, "Cell " + cell + " sent a " + why)
                : Problem.of(502, "Cell " + cell + " closed the connection: " + why), 1);
    }

    /** The cell's response head goes to the client with the hop's edits. */
    void responseHead(CellResponseHead head) {
        status = head.status;
        responseStarted = true;
        // A body whose end the client could only learn from a close (the cell's close, or
        // chunks an HTTP/1.0 client cannot read) ends its connection.
        keepAliveAfter = clientKeepAlive && requestEnded && head.delimitedForClient();
        client.writeRaw(head.forClient(client.channel().alloc(), proxy.cellName(cell), keepAliveAfter, clientHttp10));
        clientUnflushed = true;
    }

    /** Bytes of the cell's response body; false when the client cannot take more for now. */
    boolean responseContent(ByteBuf bytes) {
        client.writeRaw(bytes);
        clientUnflushed = true;
        return client.channel().isWritable();
    }

    void responseEnd() {
        attempt = null;
        responseEnded = true;
        clientUnflushed = false;
        release(); // the cell answered: nothing of the request goes to a cell again
        client.endRaw(keepAliveAfter);
        completed(status);
        client.responseWritten(this);
    }

    /** The cell's read ended: what it sent goes to the client in one flush. */
    void flushClient() {
        if (clientUnflushed) {
            clientUnflushed = false;
            client.channel().flush();
        }
    }

    void clientWritable() {
        if (attempt != null) {
            attempt.clientWritable();
        }
    }

    /** The client's connection closed: nothing more goes to it, and the cell's stream is cut. */
    void clientGone() {
        if (responseStarted && !responseEnded) {
            proxy.routing().metrics().cell(cell).error(ErrorKind.RESET);
            completed(status);
        }
        answered = true;
        if (attempt != null) {
            attempt.abandon();
        }
        release();
    }

    /** Frees the buffers this exchange still holds. */
    void release() {
        if (pending != null) {
            pending.forEach(ReferenceCountUtil::release);
            pending = null;
        }
        if (body != null) {
            proxy.routing().metrics().bodyBytesHeld(-body.readableBytes());
            body.release();
            body = null;
        }
    }

    void completed(int finalStatus) {
        long nanos = System.nanoTime() - startNanos;
        if (cell != null) {
            proxy.routing().metrics().cell(cell).completed(finalStatus, nanos);
        }
        if (proxy.settings().accessLog()) {
            Replies.ACCESS.info("event=request shop={} cell={} method={} path=\"{}\" status={} micros={}", shop, cell,
                    request.method(), LoggedPath.of(Replies.path(request)), finalStatus, nanos / 1000);
        }
    }
}
