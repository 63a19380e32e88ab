package dev.cellshop.router.proxy;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.router.balance.Upstream;
import dev.cellshop.router.breaker.CellBreaker;
import dev.cellshop.router.metrics.RouterMetrics.CellSeries;
import dev.cellshop.router.metrics.RouterMetrics.ErrorKind;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one storefront or admin request to an instance of its shop's cell, on one
 * event loop (each event loop has its own handler and its own connection pools).
 *
 * <p>Bodies stream both ways; only a body small enough to be replayed (see
 * {@link ProxySettings#replayBodyBytes}) of a request that may be retried is read first.
 * Retries: a refused connection goes once to another instance (nothing was sent); a 421
 * from the cell (our placement is stale) refreshes the shop's placement and goes once more,
 * only for idempotent methods and requests carrying an {@code Idempotency-Key}.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {

    private static final Logger ACCESS = LoggerFactory.getLogger("dev.cellshop.router.access");
    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

    public static final String CELL_HEADER = "X-Cellshop-Cell";
    private static final String CELLSHOP_PREFIX = "x-cellshop-";
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE);

    /** A refused body up to this size is read and dropped (keeping the connection); a larger one closes it. */
    private static final long DRAIN_LIMIT_BYTES = 16L << 20;

    private final Vertx vertx;
    private final HttpClient client;
    private final Routing routing;
    private final ProxySettings settings;
    private final ShopResolver resolver;
    private final ResponseDeadlines deadlines;
    private final long ejectionNanos = ProxySettings.EJECTION.toNanos();

    public ProxyHandler(Vertx vertx, HttpClient client, Routing routing) {
        this.vertx = vertx;
        this.client = client;
        this.routing = routing;
        this.settings = routing.settings();
        this.resolver = new ShopResolver(routing.directory());
        this.deadlines = new ResponseDeadlines(settings.responseTimeout().toNanos());
        deadlines.startSweeping(vertx); // on this handler's event loop, with the verticle that owns it
    }

    /** One request's trip through the router. */
    private final class Exchange extends ResponseDeadlines.Waiting {
        final HttpServerRequest request;
        final long startNanos;
        ShopId shop;
        CellId cell;
        long declaredLength;    // Content-Length, or -1 without one
        boolean chunked;        // a body of unknown length
        boolean hasBody;
        boolean keepBody;       // small enough to read first and keep: the request can be sent again
        boolean replayable;     // ... and may be repeated even if a cell may have processed it (idempotent or keyed)
        Buffer body;            // the kept body, once read
        boolean bodyTouched;    // some of the body was read (streamed or buffered)
        boolean connectRetried;
        int closedConnections;  // pooled connections that closed under this request before any answer
        boolean misdirectRetried;
        boolean answered;       // the router answered itself; late upstream events are ignored
        Upstream avoid;
        HttpClientRequest outbound; // the attempt in flight
        boolean timedOut;           // ... was cut by its response deadline (the reset's own error does not say so)

        Exchange(HttpServerRequest request, long startNanos) {
            this.request = request;
            this.startNanos = startNanos;
        }

        /** The cell sent nothing within the response timeout: fail the attempt as Vert.x's own timeout would. */
        @Override
        void expired() {
            if (outbound != null) {
                timedOut = true;
                outbound.reset(0, new TimeoutException("Cell " + cell + " sent nothing for "
                        + settings.responseTimeout().toMillis() + " ms (upstream.response-timeout)"));
            }
        }
    }

    @Override
    public void handle(HttpServerRequest request) {
        Exchange ex = new Exchange(request, System.nanoTime());
        request.pause(); // nothing of the body moves until an instance is chosen
        stripCellshopHeaders(request.headers());
        try {
            ex.shop = resolver.resolve(request);
            checkBody(ex);
        } catch (ProblemException e) {
            routing.metrics().unrouted(e.problem().status());
            answer(ex, e.problem(), 0);
            return;
        }
        if (ex.hasBody && ex.keepBody) {
            ex.bodyTouched = true;
            request.body().onComplete(read -> {
                if (read.succeeded()) {
                    ex.body = read.result();
                    route(ex);
                } // else the client went away while sending: nothing to answer
            });
            request.resume();
        } else {
            route(ex);
        }
    }

    private void checkBody(Exchange ex) {
        HttpServerRequest request = ex.request;
        String lengthHeader = request.getHeader(HttpHeaders.CONTENT_LENGTH);
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
            if (length > settings.maxBodyBytes()) {
                throw new ProblemException(Problem.payloadTooLarge("The request body is " + length
                        + " bytes; at most " + settings.maxBodyBytes() + " are accepted"));
            }
        }
        boolean chunked = length < 0 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
        ex.declaredLength = length;
        ex.chunked = chunked;
        ex.hasBody = length > 0 || chunked;
        boolean retryable = IDEMPOTENT.contains(request.method()) || request.getHeader("Idempotency-Key") != null;
        ex.keepBody = length >= 0 && length <= settings.replayBodyBytes();
        ex.replayable = retryable && (!ex.hasBody || ex.keepBody);
    }

    private void route(Exchange ex) {
        Placement placement = routing.directory().placement(ex.shop);
        if (placement == null) {
            routing.metrics().unrouted(404);
            answer(ex, Problem.notFound("Shop " + ex.shop + " does not exist"), 0);
            return;
        }
        ex.cell = placement.cellId();
        CellSeries series = routing.metrics().cell(ex.cell);
        if (placement.state() == PlacementState.FROZEN) {
            routing.holds().awaitActive(ex.shop, placement.epoch()).onComplete(active -> {
                if (active.succeeded()) {
                    route(ex);
                } else {
                    series.error(ErrorKind.HOLD_TIMEOUT);
                    answer(ex, Problem.serviceUnavailable(active.cause().getMessage()), 1);
                }
            });
            return;
        }
        CellBreaker breaker = routing.breaker(ex.cell);
        long now = System.nanoTime();
        if (!breaker.tryAcquire(now)) {
            series.error(ErrorKind.BREAKER_OPEN);
            answer(ex, Problem.serviceUnavailable("Cell " + ex.cell + " of shop " + ex.shop
                    + " is failing; its circuit breaker is open"), breaker.retryAfterSeconds(now));
            return;
        }
        Upstream upstream = routing.instances().pool(ex.cell).pick(now, ex.avoid);
        if (upstream == null) {
            breaker.onFailure(now);
            series.error(ErrorKind.NO_INSTANCE);
            answer(ex, Problem.serviceUnavailable("Cell " + ex.cell + " of shop " + ex.shop
                    + " has no live instance that can take requests"), 1);
            return;
        }
        forward(ex, placement, upstream, breaker, series);
    }

    private void forward(Exchange ex, Placement placement, Upstream upstream, CellBreaker breaker, CellSeries series) {
        HttpServerRequest request = ex.request;
        // The client's headers are edited in place and handed over as they are: the HTTP client
        // copies them into its request anyway, so a copy of our own would be a second one.
        // (The response's keep-alive was decided when the request arrived, so removing the
        // client's Connection header here changes nothing on the client's side.)
        MultiMap headers = request.headers();
        removeHopByHop(headers);
        long timestamp = System.currentTimeMillis();
        String uri = request.uri();
        headers.set(RequestSignature.SHOP_ID_HEADER, ex.shop.toString())
                .set(RequestSignature.EPOCH_HEADER, Long.toString(placement.epoch()))
                .set(RequestSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .set(RequestSignature.SIGNATURE_HEADER, routing.signature().sign(ex.shop, placement.epoch(), timestamp,
                        request.method().name(), uri));
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(upstream.host())
                .setPort(upstream.port()).setURI(uri).setHeaders(headers)
                .setConnectTimeout(settings.connectTimeout().toMillis());
        upstream.started();
        client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                upstream.finished();
                transportFailed(upstream, breaker, series, ErrorKind.CONNECT, true);
                if (ex.answered) {
                    return;
                }
                // a streamed body is untouched until the connection exists, so nothing was sent yet
                if (!ex.connectRetried && (ex.body != null || !ex.bodyTouched)) {
                    ex.connectRetried = true; // nothing was sent: another instance may take it
                    ex.avoid = upstream;
                    route(ex);
                } else {
                    answer(ex, Problem.serviceUnavailable("Cell " + ex.cell + " of shop " + ex.shop
                            + " did not accept a connection: " + connected.cause().getMessage()), 1);
                }
                return;
            }
            HttpClientRequest outbound = connected.result();
            ex.outbound = outbound;
            ex.timedOut = false;
            deadlines.arm(ex, System.nanoTime());
            outbound.response().onComplete(response -> onResponse(ex, upstream, breaker, series, response));
            sendBody(ex, outbound);
        });
    }

    private void sendBody(Exchange ex, HttpClientRequest outbound) {
        HttpServerRequest request = ex.request;
        if (!ex.hasBody) {
            outbound.end();
            request.resume(); // lets the (empty) request end, so keep-alive can go on
            return;
        }
        if (ex.body != null) {
            outbound.end(ex.body);
            return;
        }
        ex.bodyTouched = true;
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            outbound.setChunked(true);
        }
        long[] seen = {0};
        request.handler(chunk -> {
            seen[0] += chunk.length();
            if (seen[0] > settings.maxBodyBytes()) {
                request.handler(null);
                answer(ex, Problem.payloadTooLarge("The request body exceeds " + settings.maxBodyBytes() + " bytes"), 0);
                outbound.reset();
                return;
            }
            outbound.write(chunk);
            if (outbound.writeQueueFull()) {
                request.pause();
                outbound.drainHandler(v -> request.resume());
            }
        });
        request.endHandler(v -> {
            if (!ex.answered) {
                outbound.end();
            }
        });
        request.exceptionHandler(e -> outbound.reset());
        request.resume();
    }

    private void onResponse(Exchange ex, Upstream upstream, CellBreaker breaker, CellSeries series,
                            AsyncResult<HttpClientResponse> result) {
        if (result.failed()) {
            deadlines.disarm(ex);
            upstream.finished();
            if (ex.answered) {
                return; // we reset it ourselves (413)
            }
            boolean timeout = ex.timedOut || isTimeout(result.cause());
            boolean replayable = !timeout && ex.replayable && (ex.body != null || !ex.hasBody);
            // Closed before any answer: most often a pooled keep-alive connection the instance
            // closed as we reused it (it is stopping, or idled out). Once is no verdict on the
            // instance; closed again on the retry, it is going away: out of the pool for now.
            boolean closedAgain = replayable && ex.closedConnections > 0;
            transportFailed(upstream, breaker, series, timeout ? ErrorKind.TIMEOUT : ErrorKind.RESET, timeout || closedAgain);
            if (replayable && ex.closedConnections < 2) {
                ex.closedConnections++;
                route(ex); // safe to send again: the request may be repeated
                return;
            }
            answer(ex, timeout
                    ? Problem.of(504, "Cell " + ex.cell + " did not answer within " + settings.responseTimeout().toMillis() + " ms")
                    : Problem.of(502, "Cell " + ex.cell + " closed the connection: " + result.cause().getMessage()), 1);
            return;
        }
        breaker.onSuccess();
        HttpClientResponse response = result.result();
        // A 421 is the cell's fence refusing before any handler ran: nothing was done, so any
        // request the router can send again is retried (not only idempotent ones, as after a
        // closed connection, where the cell may have done it). This is what keeps a move's
        // cutover from failing writes that raced the freeze: their retry is held, then delivered.
        if (response.statusCode() == 421 && (ex.body != null || !ex.hasBody) && !ex.misdirectRetried) {
            deadlines.disarm(ex);
            ex.misdirectRetried = true;
            series.error(ErrorKind.MISDIRECTED_RETRY);
            Context context = vertx.getOrCreateContext();
            response.body().onComplete(drained -> {
                upstream.finished();
                routing.watcher().refresh(ex.shop).whenComplete((fresh, e) -> context.runOnContext(v -> route(ex)));
            });
            return;
        }
        HttpServerResponse out = ex.request.response();
        out.setStatusCode(response.statusCode());
        MultiMap outHeaders = out.headers();
        for (Map.Entry<String, String> h : response.headers()) {
            if (!isHopByHop(h.getKey())) {
                outHeaders.add(h.getKey(), h.getValue());
            }
        }
        outHeaders.set(CELL_HEADER, ex.cell.toString());
        int status = response.statusCode();
        boolean bodiless = status == 204 || status == 304 || status < 200 || ex.request.method() == HttpMethod.HEAD;
        if (!bodiless && !outHeaders.contains(HttpHeaders.CONTENT_LENGTH)) {
            out.setChunked(true); // the cell streams it chunked; so do we
        }
        streamResponse(ex, upstream, series, response, out);
    }

    /**
     * Copies the cell's response body to the client with back-pressure. Written out rather
     * than {@code out.send(response)}: when the client goes away mid-body, Vert.x's pipe
     * keeps writing into the closed response and fails loudly; here the cell's stream is
     * reset instead, and its connection is not reused.
     */
    private void streamResponse(Exchange ex, Upstream upstream, CellSeries series, HttpClientResponse response,
                                HttpServerResponse out) {
        int status = response.statusCode();
        boolean[] finished = {false};
        Runnable finish = () -> {
            if (!finished[0]) {
                finished[0] = true;
                deadlines.disarm(ex);
                upstream.finished();
                completed(ex, status);
            }
        };
        out.closeHandler(v -> {
            if (!out.ended()) {
                series.error(ErrorKind.RESET);
                response.request().reset();
                finish.run();
            }
        });
        // Each chunk is written when the next one arrives, and the last with end(): a response
        // that arrives in one chunk (most API answers) leaves in one write with its headers,
        // not a write plus a separate flush of the end.
        Buffer[] held = {null};
        response.handler(chunk -> {
            if (out.closed()) {
                return;
            }
            deadlines.arm(ex, System.nanoTime()); // the cell is sending: its next chunk is due within the timeout
            Buffer previous = held[0];
            held[0] = chunk;
            if (previous != null) {
                out.write(previous);
                if (out.writeQueueFull()) {
                    response.pause();
                    out.drainHandler(v -> response.resume());
                }
            }
        });
        response.exceptionHandler(e -> {
            series.error(ErrorKind.RESET);
            LOG.debug("event=response_aborted shop={} cell={} error=\"{}\"", ex.shop, ex.cell, e.getMessage());
            if (!out.closed()) {
                out.reset();
            }
            finish.run();
        });
        response.endHandler(v -> {
            if (!out.closed()) {
                if (held[0] != null) {
                    out.end(held[0]);
                } else {
                    out.end();
                }
            }
            finish.run();
        });
    }

    /** Removes the headers that describe one connection, not the request (rare: most clients send none). */
    private static void removeHopByHop(MultiMap headers) {
        for (Map.Entry<String, String> h : headers) {
            if (isHopByHop(h.getKey())) {
                headers.names().stream().filter(ProxyHandler::isHopByHop).toList().forEach(headers::remove);
                return;
            }
        }
    }

    // RFC 9110 section 7.6.1, checked without allocating a lower-case copy per header.
    private static boolean isHopByHop(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("te");
            case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 16 -> name.equalsIgnoreCase("proxy-connection");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            case 18 -> name.equalsIgnoreCase("proxy-authenticate");
            case 19 -> name.equalsIgnoreCase("proxy-authorization");
            default -> false;
        };
    }

    /** {@code eject}: refused or timed out, the instance itself is in trouble; a closed connection says less. */
    private void transportFailed(Upstream upstream, CellBreaker breaker, CellSeries series, ErrorKind kind, boolean eject) {
        long now = System.nanoTime();
        if (eject) {
            upstream.eject(now + ejectionNanos);
        }
        breaker.onFailure(now);
        series.error(kind);
        LOG.warn("event=upstream_failed cell={} instance={} kind={}", upstream.cellId(), upstream.instance().instanceId(), kind);
    }

    /** The router answers itself: a problem+json, never a stack trace. */
    private void answer(Exchange ex, Problem problem, long retryAfterSeconds) {
        if (ex.answered) {
            return;
        }
        ex.answered = true;
        deadlines.disarm(ex);
        HttpServerRequest request = ex.request;
        HttpServerResponse out = request.response();
        if (out.headWritten()) {
            out.reset(); // mid-response: all we can do is cut it
            completed(ex, 502);
            return;
        }
        out.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (retryAfterSeconds > 0) {
            out.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        if (ex.cell != null) {
            out.putHeader(CELL_HEADER, ex.cell.toString());
        }
        boolean drain = !ex.bodyTouched && !ex.chunked && ex.declaredLength <= DRAIN_LIMIT_BYTES;
        if (ex.hasBody && ex.body == null && !drain) {
            // Part of a body was forwarded, or too much is coming to read it away: the
            // connection cannot carry another request.
            out.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        out.end(problem.withInstance(request.path()).toJson());
        if (!ex.bodyTouched) {
            if (ex.hasBody) {
                request.handler(ignored -> { }); // read the unwanted body away, so the client sees our answer
            }
            request.resume();
        }
        completed(ex, problem.status());
    }

    private void completed(Exchange ex, int status) {
        long nanos = System.nanoTime() - ex.startNanos;
        if (ex.cell != null) {
            routing.metrics().cell(ex.cell).completed(status, nanos);
        }
        if (settings.accessLog()) {
            ACCESS.info("event=request shop={} cell={} method={} path=\"{}\" status={} micros={}", ex.shop, ex.cell,
                    ex.request.method(), ex.request.path(), status, nanos / 1000);
        }
    }

    private static void stripCellshopHeaders(MultiMap headers) {
        // Only a router may set these: a client's copy must never reach a cell.
        boolean any = false;
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().regionMatches(true, 0, CELLSHOP_PREFIX, 0, CELLSHOP_PREFIX.length())) {
                any = true;
                break;
            }
        }
        if (any) {
            headers.names().stream().filter(n -> n.regionMatches(true, 0, CELLSHOP_PREFIX, 0, CELLSHOP_PREFIX.length()))
                    .toList().forEach(headers::remove);
        }
    }

    private static boolean isTimeout(Throwable e) {
        return e instanceof java.util.concurrent.TimeoutException || e.getClass().getSimpleName().contains("Timeout")
                || (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("timeout"));
    }
}
