package dev.cellshop.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Reads a cell's HTTP/1.1 responses in place from its connection's bytes, as nginx's
 * upstream module does: the head is parsed only for what the router must know (status,
 * framing, Connection) and passed on with the hop's edits ({@link CellResponseHead}); the
 * body passes on as slices of the very buffers read, chunk framing included, never decoded
 * into message objects and encoded again. Only a client that speaks HTTP/1.0 gets a chunked
 * body's data alone, since it cannot read chunks.
 *
 * <p>One reader per connection, on its event loop. Interim answers (100 Continue) are read
 * away; a 101 is refused, since the router strips Upgrade and forwards no other protocol.
 */
final class CellResponseReader {

    /** Heads of cells are a few hundred bytes; this only bounds a broken one. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int MAX_CHUNK_LINE_BYTES = 4096;
    private static final int MAX_TRAILER_BYTES = 64 * 1024;

    /** Where a response goes, told in order: one head, its body's bytes, then its end. */
    interface Sink {
        void head(CellResponseHead head);

        /** Bytes to forward as they are; the sink owns them. */
        void body(ByteBuf bytes);

        /** The response is complete; {@code reusable}: the connection may carry another request. */
        void end(boolean reusable);
    }

    private enum State { IDLE, HEAD, FIXED, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, UNTIL_CLOSE }

    private final ByteBufAllocator alloc;
    private final CellResponseHead head = new CellResponseHead();
    private Sink sink;
    private State state = State.IDLE;
    private boolean headRequest;
    private boolean clientHttp10;
    private ByteBuf partialHead;   // the start of a head that did not come in one read
    private long remaining;        // bytes left of a Content-Length body or of a chunk
    private int lineBytes;         // of the current chunk-size line or of the trailers
    private boolean emptyLine;     // the trailer line so far is empty

    CellResponseReader(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** A request went out: its response comes next. */
    void expect(Sink sink, boolean headRequest, boolean clientHttp10) {
        this.sink = sink;
        this.headRequest = headRequest;
        this.clientHttp10 = clientHttp10;
        state = State.HEAD;
    }

    /** Whether a response is being read (a request is out and its end has not come). */
    boolean reading() {
        return state != State.IDLE;
    }

    /** Takes what the connection read; releases it. */
    void read(ByteBuf in) throws MalformedResponseException {
        ByteBuf buf = in;
        if (partialHead != null) {
            buf = partialHead.writeBytes(in);
            in.release();
            partialHead = null;
        }
        try {
            while (buf.isReadable()) {
                switch (state) {
                    case IDLE -> throw new MalformedResponseException("bytes after the response's end, before a request");
                    case HEAD -> {
                        if (!readHead(buf)) {
                            partialHead = alloc.buffer(Math.max(256, buf.readableBytes() * 2)).writeBytes(buf);
                        }
                    }
                    case FIXED -> readFixed(buf);
                    case UNTIL_CLOSE -> sink.body(buf.readRetainedSlice(buf.readableBytes()));
                    default -> readChunked(buf);
                }
            }
        } finally {
            buf.release();
        }
    }

    /**
     * The connection closed: true if that ended a response delimited by the close (whoever
     * reads it then hears of its end from the connection, not from here, since it may be gone).
     */
    boolean closed() {
        if (partialHead != null) {
            partialHead.release();
            partialHead = null;
        }
        boolean ended = state == State.UNTIL_CLOSE;
        state = State.IDLE;
        return ended;
    }

    private boolean readHead(ByteBuf buf) throws MalformedResponseException {
        int start = buf.readerIndex();
        int limit = Math.min(buf.writerIndex(), start + MAX_HEAD_BYTES);
        head.reset(buf);
        int line = start;
        while (true) {
            int lf = buf.indexOf(line, limit, (byte) '\n');
            if (lf < 0) {
                if (limit - start >= MAX_HEAD_BYTES) {
                    throw new MalformedResponseException("head larger than " + MAX_HEAD_BYTES + " bytes");
                }
                return false; // the caller keeps it as partialHead: read again when the rest comes
            }
            int end = lf > line && buf.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            if (line == start) {
                head.statusLine(line, end);
            } else if (end == line) {
                buf.readerIndex(lf + 1);
                break;
            } else {
                head.headerLine(line, end);
            }
            line = lf + 1;
        }
        if (head.status < 200) {
            if (head.status == 101) {
                throw new MalformedResponseException("101 Switching Protocols: the router forwards no upgrade");
            }
            return true; // 100 Continue and friends: the real answer follows
        }
        head.complete(headRequest, clientHttp10);
        if (head.bodiless) {
            sink.head(head);
            end(buf);
        } else if (head.chunked) {
            state = State.CHUNK_SIZE;
            remaining = 0;
            lineBytes = 0;
            sink.head(head);
        } else if (head.contentLength >= 0) {
            state = State.FIXED;
            remaining = head.contentLength;
            sink.head(head);
            if (remaining == 0) {
                end(buf);
            }
        } else {
            state = State.UNTIL_CLOSE;
            sink.head(head);
        }
        return true;
    }

    private void readFixed(ByteBuf buf) {
        int n = (int) Math.min(remaining, buf.readableBytes());
        sink.body(buf.readRetainedSlice(n));
        remaining -= n;
        if (remaining == 0) {
            end(buf);
        }
    }

    /**
     * Walks the chunk framing to find the body's end. The bytes pass on as they are (one
     * slice per read), or, for an HTTP/1.0 client, only the chunks' data.
     */
    private void readChunked(ByteBuf buf) throws MalformedResponseException {
        boolean dechunk = head.dechunked;
        int from = buf.readerIndex();
        int i = from;
        int end = buf.writerIndex();
        boolean done = false;
        while (i < end && !done) {
            switch (state) {
                case CHUNK_SIZE -> {
                    byte b = buf.getByte(i++);
                    int digit = Character.digit(b, 16);
                    if (digit >= 0) {
                        if (++lineBytes > 15) {
                            throw new MalformedResponseException("chunk size too large");
                        }
                        remaining = remaining << 4 | digit;
                    } else if (lineBytes > 0 && (b == ';' || b == ' ' || b == '\t' || b == '\r')) {
                        state = State.CHUNK_EXTENSION;
                    } else if (lineBytes > 0 && b == '\n') {
                        chunkSizeRead();
                    } else {
                        throw new MalformedResponseException("chunk size line with byte " + (b & 0xff));
                    }
                }
                case CHUNK_EXTENSION -> {
                    int lf = buf.indexOf(i, end, (byte) '\n');
                    lineBytes += (lf < 0 ? end : lf) - i;
                    if (lineBytes > MAX_CHUNK_LINE_BYTES) {
                        throw new MalformedResponseException("chunk size line longer than " + MAX_CHUNK_LINE_BYTES + " bytes");
                    }
                    if (lf < 0) {
                        i = end;
                    } else {
                        i = lf + 1;
                        chunkSizeRead();
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    if (dechunk) {
                        sink.body(buf.retainedSlice(i, n));
                    }
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_END;
                    }
                }
                case CHUNK_DATA_END -> {
                    byte b = buf.getByte(i++);
                    if (b == '\n') {
                        state = State.CHUNK_SIZE;
                        lineBytes = 0;
                    } else if (b != '\r') {
                        throw new MalformedResponseException("chunk data not followed by CRLF");
                    }
                }
                case TRAILERS -> {
                    byte b = buf.getByte(i++);
                    if (b == '\n') {
                        done = emptyLine;
                        emptyLine = true;
                    } else if (b != '\r') {
                        emptyLine = false;
                        if (++lineBytes > MAX_TRAILER_BYTES) {
                            throw new MalformedResponseException("trailers larger than " + MAX_TRAILER_BYTES + " bytes");
                        }
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        if (!dechunk && i > from) {
            sink.body(buf.retainedSlice(from, i - from));
        }
        buf.readerIndex(i);
        if (done) {
            end(buf);
        }
    }

    /** A chunk-size line ended: its data follows, or after the last (size 0) chunk the trailers. */
    private void chunkSizeRead() {
        lineBytes = 0;
        emptyLine = true;
        state = remaining > 0 ? State.CHUNK_DATA : State.TRAILERS;
    }

    /**
     * The response is complete. Bytes after it in the same read answer nothing we asked, so
     * the connection is not reused; they are dropped. The state is settled before the sink
     * hears of the end, since the sink may hand the connection to the next request at once.
     */
    private void end(ByteBuf buf) {
        boolean reusable = !head.closes && !buf.isReadable();
        buf.skipBytes(buf.readableBytes());
        state = State.IDLE;
        sink.end(reusable);
    }
}
