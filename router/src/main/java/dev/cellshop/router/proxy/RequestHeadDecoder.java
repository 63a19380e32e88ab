package dev.cellshop.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;

/**
 * Vert.x's request decoder with two changes the proxy needs, put in the place of the server's
 * own ({@value #NAME}) before the connection reads anything:
 *
 * <ul>
 *   <li>It says since when a request head has been arriving ({@link #headStartedNanos}): the
 *       decoder is the only one that sees the bytes of a head before it is whole, and a head
 *       trickled a byte at a time must not last forever (limits.header-timeout).
 *   <li>A head with both Content-Length and {@code Transfer-Encoding: chunked} keeps both
 *       headers, so the proxy can refuse it (RFC 9112 6.3 allows that, and such a request is
 *       most often a smuggling attempt); Netty would drop the Content-Length and read on.
 * </ul>
 *
 * <p>Not thread-safe: one connection's, on its event loop.
 */
final class RequestHeadDecoder extends VertxHttpRequestDecoder {

    /** Vert.x's name for its request decoder in a server connection's pipeline. */
    static final String NAME = "httpDecoder";

    private boolean betweenMessages = true; // no request, or the last one's end, decoded
    private long headStartedNanos;

    private RequestHeadDecoder(HttpServerOptions options) {
        super(options);
    }

    /** Replaces the connection's decoder by one of these, configured as Vert.x configured its own. */
    static RequestHeadDecoder install(ChannelPipeline pipeline, HttpServerOptions options) {
        RequestHeadDecoder decoder = new RequestHeadDecoder(options);
        if (pipeline.get(NAME) == null) {
            throw new IllegalStateException("Vert.x's HTTP server pipeline has no '" + NAME + "' handler");
        }
        pipeline.replace(NAME, NAME, decoder);
        return decoder;
    }

    /** Since when the head of the next request has been arriving (System.nanoTime), or 0 while none is. */
    long headStartedNanos() {
        return headStartedNanos;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int before = out.size();
        boolean bytes = buffer.isReadable();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            Object decoded = out.get(i);
            if (decoded instanceof HttpRequest) {
                betweenMessages = false;
                headStartedNanos = 0;
            }
            if (decoded instanceof LastHttpContent) {
                betweenMessages = true;
            }
        }
        // A read between requests that decoded no new one is (part of) the next head, even if
        // only the CRLFs a decoder skips: the head's clock starts with its first byte.
        if (bytes && betweenMessages && out.size() == before && headStartedNanos == 0) {
            headStartedNanos = System.nanoTime();
        }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        // Both headers stay: RequestBody refuses the request with 400 and the connection closes.
    }
}
