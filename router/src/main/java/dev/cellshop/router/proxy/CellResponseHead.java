package dev.cellshop.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cell's response head as {@link CellResponseReader} found it in the connection's bytes:
 * the status, the framing, and where its header lines are, so that the client's head is
 * those same bytes with the hop's edits, not a decoded and re-encoded header map.
 *
 * <p>Valid only while the reader's callback runs: the ranges point into the buffer read.
 */
final class CellResponseHead {

    private static final byte[] HTTP_11 = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CELL = "X-Cellshop-Cell: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final short CRLF = ('\r' << 8) | '\n';

    int status;
    long contentLength;      // -1 without a Content-Length
    boolean chunked;         // Transfer-Encoding: chunked
    boolean bodiless;        // a HEAD's answer, 204 or 304: no body whatever the framing says
    boolean dechunked;       // the client gets the chunks' data only (it speaks HTTP/1.0)
    boolean closes;          // the cell closes the connection after this response
    private boolean http10;
    private boolean keepAliveToken;
    private ByteBuf bytes;
    private int reasonStart;  // "200 OK": from the status code to the end of the line
    private int reasonEnd;
    private int[] kept = new int[32]; // start and end of each header line the client gets
    private int keptCount;
    private int keptBytes;

    void reset(ByteBuf buf) {
        bytes = buf;
        status = 0;
        contentLength = -1;
        chunked = bodiless = dechunked = closes = http10 = keepAliveToken = false;
        keptCount = keptBytes = 0;
    }

    /** "HTTP/1.x SSS reason": the version and status checked, the rest taken as it is. */
    void statusLine(int start, int end) throws MalformedResponseException {
        if (end - start < 12 || !startsWith(start, "HTTP/1.") || bytes.getByte(start + 8) != ' '
                || end - start > 12 && bytes.getByte(start + 12) != ' ') {
            throw new MalformedResponseException("status line '" + text(start, end) + "' is not HTTP/1.x");
        }
        byte minor = bytes.getByte(start + 7);
        if (minor != '0' && minor != '1') {
            throw new MalformedResponseException("status line '" + text(start, end) + "' is not HTTP/1.0 or HTTP/1.1");
        }
        http10 = minor == '0';
        int code = 0;
        for (int i = start + 9; i < start + 12; i++) {
            int digit = bytes.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                throw new MalformedResponseException("status line '" + text(start, end) + "' has no 3-digit status");
            }
            code = code * 10 + digit;
        }
        status = code;
        reasonStart = start + 9;
        reasonEnd = end;
    }

    /** One "name: value" line: framing and hop-by-hop headers are noted and left out, the rest kept. */
    void headerLine(int start, int end) throws MalformedResponseException {
        byte first = bytes.getByte(start);
        if (first == ' ' || first == '\t') {
            throw new MalformedResponseException("obsolete line folding in the head");
        }
        int colon = bytes.indexOf(start, end, (byte) ':');
        if (colon <= start || isSpace(bytes.getByte(colon - 1))) {
            throw new MalformedResponseException("header line '" + text(start, end) + "' has no name");
        }
        int valueStart = colon + 1;
        int valueEnd = end;
        while (valueStart < valueEnd && isSpace(bytes.getByte(valueStart))) {
            valueStart++;
        }
        while (valueEnd > valueStart && isSpace(bytes.getByte(valueEnd - 1))) {
            valueEnd--;
        }
        if (keep(start, colon - start, valueStart, valueEnd)) {
            if (keptCount * 2 == kept.length) {
                kept = Arrays.copyOf(kept, kept.length * 2);
            }
            kept[keptCount * 2] = start;
            kept[keptCount * 2 + 1] = end;
            keptCount++;
            keptBytes += end - start + 2;
        }
    }

    // The framing headers are noted first; then the hop-by-hop list, looked up by the name's
    // length, so almost every header is settled by one comparison.
    private boolean keep(int name, int length, int value, int valueEnd) throws MalformedResponseException {
        if (length == 14 && named(name, "content-length")) {
            long declared = contentLength(value, valueEnd);
            if (contentLength >= 0 && contentLength != declared) {
                throw new MalformedResponseException("two different Content-Length headers");
            }
            contentLength = declared;
            return true;
        }
        if (length == 17 && named(name, "transfer-encoding")) {
            // Only chunked framing is forwarded; the router re-adds the header when it keeps it.
            if (!lastTokenIs(value, valueEnd, "chunked")) {
                throw new MalformedResponseException("Transfer-Encoding '" + text(value, valueEnd) + "' does not end in chunked");
            }
            chunked = true;
            return false;
        }
        if (length == 10 && named(name, "connection")) {
            closes |= hasToken(value, valueEnd, "close");
            keepAliveToken |= hasToken(value, valueEnd, "keep-alive");
            return false;
        }
        for (String hop : HeaderEdits.hopByHop(length)) {
            if (named(name, hop)) {
                return false;
            }
        }
        return true;
    }

    /** The head is read: settles what the framing means for this request. */
    void complete(boolean headRequest, boolean clientHttp10) throws MalformedResponseException {
        if (chunked && contentLength >= 0) {
            throw new MalformedResponseException("both Content-Length and Transfer-Encoding (RFC 9112 section 6.1)");
        }
        closes |= http10 && !keepAliveToken;
        bodiless = headRequest || status == 204 || status == 304;
        dechunked = chunked && clientHttp10 && !bodiless;
    }

    /** Whether the body's end is known without the cell closing the connection. */
    boolean delimited() {
        return bodiless || contentLength >= 0 || chunked;
    }

    /** Whether the client learns where the body ends without the router closing its connection. */
    boolean delimitedForClient() {
        return bodiless || contentLength >= 0 || chunked && !dechunked;
    }

    /**
     * The head the client gets: the cell's status and kept header lines as they were, the
     * chunked framing when the body keeps it, the cell's name, and a Connection header when
     * the client's connection does not simply stay open as HTTP/1.1 has it.
     */
    ByteBuf forClient(ByteBufAllocator alloc, AsciiString cell, boolean keepAlive, boolean clientHttp10) {
        ByteBuf out = alloc.buffer(HTTP_11.length + (reasonEnd - reasonStart) + keptBytes + CHUNKED.length + CELL.length
                + cell.length() + KEEP_ALIVE.length + 6);
        out.writeBytes(HTTP_11).writeBytes(bytes, reasonStart, reasonEnd - reasonStart).writeShort(CRLF);
        for (int i = 0; i < keptCount; i++) {
            int start = kept[i * 2];
            out.writeBytes(bytes, start, kept[i * 2 + 1] - start).writeShort(CRLF);
        }
        if (chunked && !dechunked) {
            out.writeBytes(CHUNKED);
        }
        out.writeBytes(CELL).writeBytes(cell.array(), cell.arrayOffset(), cell.length()).writeShort(CRLF);
        if (!keepAlive) {
            out.writeBytes(CLOSE);
        } else if (clientHttp10) {
            out.writeBytes(KEEP_ALIVE);
        }
        return out.writeShort(CRLF);
    }

    private long contentLength(int start, int end) throws MalformedResponseException {
        if (start == end || end - start > 18) {
            throw new MalformedResponseException("Content-Length '" + text(start, end) + "' is not a byte count");
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = bytes.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                throw new MalformedResponseException("Content-Length '" + text(start, end) + "' is not a byte count");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** Header names are ASCII letters and '-': OR-ing 0x20 lower-cases the letters and leaves '-' alone. */
    private boolean named(int start, String lowerName) {
        for (int i = 0; i < lowerName.length(); i++) {
            if ((bytes.getByte(start + i) | 0x20) != lowerName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean hasToken(int start, int end, String token) {
        for (String t : bytes.toString(start, end - start, StandardCharsets.ISO_8859_1).split(",")) {
            if (t.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private boolean lastTokenIs(int start, int end, String token) {
        String value = bytes.toString(start, end - start, StandardCharsets.ISO_8859_1);
        return value.substring(value.lastIndexOf(',') + 1).trim().equalsIgnoreCase(token);
    }

    private boolean startsWith(int start, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes.getByte(start + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** For error messages: at most 200 characters of the line. */
    private String text(int start, int end) {
        return bytes.toString(start, Math.min(end - start, 200), StandardCharsets.ISO_8859_1);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }
}
