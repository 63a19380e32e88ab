package dev.cellshop.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a request to a cell's connection as bytes: the edited head in one buffer, then the
 * body's buffers as the client's connection read them (chunk-framed when the body is chunked).
 * The cell's side of the proxy has no HTTP codec: responses are read by
 * {@link CellResponseReader}.
 */
final class CellRequestWriter {

    private static final byte[] HTTP_11_CRLF = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(Unpooled.directBuffer(2).writeByte('\r').writeByte('\n')).asReadOnly();
    private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(Unpooled.directBuffer(5)
            .writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).asReadOnly();
    private static final short CRLF_SHORT = ('\r' << 8) | '\n';
    private static final int HEAD_BYTES_GUESS = 1024; // most request heads fit, with the router's headers; a larger one grows the buffer

    private CellRequestWriter() {
    }

    /** The request line (always HTTP/1.1) and the headers, as the proxy edited them. */
    static void writeHead(Channel channel, HttpRequest request) {
        String uri = request.uri();
        HttpHeaders headers = request.headers();
        // A pooled buffer grows as needed; the size is not asked of Vert.x's map, which counts by collecting its names.
        ByteBuf out = channel.alloc().buffer(HEAD_BYTES_GUESS + uri.length());
        ByteBufUtil.copy(request.method().asciiName(), out);
        out.writeByte(' ');
        // The decoder made the URI one char per byte: writing it back one byte per char restores the bytes.
        ByteBufUtil.writeAscii(out, uri);
        out.writeBytes(HTTP_11_CRLF);
        if (headers instanceof HeadersMultiMap vertxHeaders) {
            vertxHeaders.encode(out, false); // the server's decoder fills Vert.x's map, which encodes itself in one pass
        } else {
            writeHeaders(out, headers);
        }
        out.writeShort(CRLF_SHORT);
        channel.write(out, channel.voidPromise());
    }

    /** A part of the request's body; {@code chunked}: the body goes with chunk framing (its length is not known). */
    static void writeBody(Channel channel, HttpContent part, boolean chunked) {
        ByteBuf data = part.content();
        boolean last = part instanceof LastHttpContent;
        if (!chunked) {
            channel.write(data, channel.voidPromise());
            return;
        }
        if (data.isReadable()) {
            ByteBuf size = channel.alloc().buffer(18);
            ByteBufUtil.writeAscii(size, Integer.toHexString(data.readableBytes()));
            channel.write(size.writeShort(CRLF_SHORT), channel.voidPromise());
            channel.write(data, channel.voidPromise());
            channel.write(CRLF.duplicate(), channel.voidPromise());
        } else {
            data.release();
        }
        if (last) {
            HttpHeaders trailers = ((LastHttpContent) part).trailingHeaders();
            if (trailers.isEmpty()) {
                channel.write(LAST_CHUNK.duplicate(), channel.voidPromise());
            } else {
                ByteBuf out = channel.alloc().buffer(HEAD_BYTES_GUESS);
                out.writeByte('0').writeShort(CRLF_SHORT);
                writeHeaders(out, trailers);
                channel.write(out.writeShort(CRLF_SHORT), channel.voidPromise());
            }
        }
    }

    private static void writeHeaders(ByteBuf out, HttpHeaders headers) {
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            ByteBufUtil.writeAscii(out, h.getKey());
            out.writeByte(':').writeByte(' ');
            ByteBufUtil.writeAscii(out, h.getValue());
            out.writeShort(CRLF_SHORT);
        }
    }
}
