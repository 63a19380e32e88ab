package dev.cellshop.router.proxy;

import dev.cellshop.kernel.problem.Problem;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the router answers itself (a cell's response goes through {@link CellResponseHead}), and the proxy's loggers. */
final class Replies {

    static final Logger ACCESS = LoggerFactory.getLogger("dev.cellshop.router.access");
    static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

    public static final AsciiString CELL_HEADER = AsciiString.cached("X-Cellshop-Cell");
    private static final AsciiString PROBLEM_TYPE = AsciiString.cached(Problem.MEDIA_TYPE);

    /** A refused body up to this size is read and dropped (keeping the connection); a larger one closes it. */
    private static final long DRAIN_LIMIT_BYTES = 16L << 20;

    private Replies() {
    }

    /** The router answers itself: a problem+json, never a stack trace. */
    static void answer(Exchange ex, Problem problem, long retryAfterSeconds) {
        if (ex.answered) {
            return;
        }
        ex.answered = true;
        if (ex.responseStarted) {
            ex.client.channel().close(); // mid-response: all we can do is cut it
            ex.completed(502);
            return;
        }
        FullHttpResponse reply = response(problem, path(ex.request), retryAfterSeconds);
        HttpHeaders headers = reply.headers();
        if (ex.cell != null) {
            headers.set(CELL_HEADER, ex.proxy.cellName(ex.cell));
        }
        // Part of a body went to a cell, too much is coming to read it away, or the client
        // waits for a 100 Continue it will not get (it may send its body or not): the
        // connection cannot carry another request.
        RequestBody plan = ex.plan;
        boolean drain = plan == null
                || !ex.bodyTouched && !ex.bodyWithheld && !plan.chunked() && plan.declaredLength() <= DRAIN_LIMIT_BYTES;
        // A head that does not say where its body ends, or a client too slow to send it (408): the
        // connection cannot be read on.
        boolean close = !ex.clientKeepAlive || !ex.requestEnded && !drain || plan != null && !plan.framed()
                || problem.status() == 408;
        ex.release();
        ex.responseEnded = true;
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ex.client.writeLast(reply, !close);
        ex.completed(problem.status());
        ex.client.responseWritten(ex);
    }

    /** A problem+json response of the router's own. */
    static FullHttpResponse response(Problem problem, String instance, long retryAfterSeconds) {
        byte[] json = problem.withInstance(instance).toJson().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse reply = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(problem.status()),
                Unpooled.wrappedBuffer(json));
        HttpHeaders headers = reply.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, PROBLEM_TYPE).setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        if (retryAfterSeconds > 0) {
            headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return reply;
    }

    static String path(HttpRequest request) {
        String uri = request.uri();
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
