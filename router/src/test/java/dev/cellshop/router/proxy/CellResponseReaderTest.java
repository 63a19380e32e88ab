package dev.cellshop.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.AsciiString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte-level reading of a cell's responses: heads edited for the client, bodies passed on
 * whole whatever way the reads split them, the connection's reuse, and broken answers refused.
 */
class CellResponseReaderTest {

    // Heap buffers; feed() checks that each buffer read is released once the sink has released its slices.
    private static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
    private static final AsciiString CELL = new AsciiString("cell-a");

    /** What the reader told, as the client would see it. */
    private static final class Recorder implements CellResponseReader.Sink {
        final List<String> heads = new ArrayList<>();
        final List<Integer> statuses = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final List<Boolean> ends = new ArrayList<>();
        boolean keepAlive = true;
        boolean clientHttp10;

        @Override
        public void head(CellResponseHead head) {
            statuses.add(head.status);
            ByteBuf out = head.forClient(ALLOC, CELL, keepAlive && head.delimitedForClient(), clientHttp10);
            heads.add(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }

        @Override
        public void body(ByteBuf bytes) {
            byte[] copy = new byte[bytes.readableBytes()];
            bytes.readBytes(copy);
            body.writeBytes(copy);
            bytes.release();
        }

        @Override
        public void end(boolean reusable) {
            ends.add(reusable);
        }

        String bodyText() {
            return body.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static Recorder read(String wire, boolean headRequest, boolean clientHttp10, int... splits) throws Exception {
        Recorder sink = new Recorder();
        sink.clientHttp10 = clientHttp10;
        CellResponseReader reader = new CellResponseReader(ALLOC);
        reader.expect(sink, headRequest, clientHttp10);
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        int from = 0;
        for (int split : splits) {
            feed(reader, bytes, from, split);
            from = split;
        }
        feed(reader, bytes, from, bytes.length);
        return sink;
    }

    private static void feed(CellResponseReader reader, byte[] bytes, int from, int to) throws Exception {
        if (to > from) {
            ByteBuf in = ALLOC.buffer(to - from).writeBytes(bytes, from, to - from);
            reader.read(in);
            assertThat(in.refCnt()).as("the reader releases what it read").isZero();
        }
    }

    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";

    @Test
    void aFixedLengthResponseKeepsItsHeadLinesLosesHopByHopOnesAndNamesTheCell() throws Exception {
        Recorder r = read("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nKeep-Alive: timeout=5\r\n"
                + "Connection: keep-alive\r\ncontent-length: 7\r\nTE: trailers\r\n\r\n{\"a\":1}", false, false);
        assertThat(r.statuses).containsExactly(201);
        assertThat(r.heads).containsExactly("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\ncontent-length: 7\r\n"
                + "X-Cellshop-Cell: cell-a\r\n\r\n");
        assertThat(r.bodyText()).isEqualTo("{\"a\":1}");
        assertThat(r.ends).containsExactly(true);
    }

    @Test
    void everySplitOfTheReadsGivesTheSameHeadAndBody() throws Exception {
        String fixed = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world";
        Recorder whole = read(CHUNKED, false, false);
        assertThat(whole.bodyText()).isEqualTo(CHUNKED.substring(CHUNKED.indexOf("\r\n\r\n") + 4));
        for (int split = 1; split < CHUNKED.length(); split++) {
            Recorder r = read(CHUNKED, false, false, split);
            assertThat(r.heads).as("split at %d", split).isEqualTo(whole.heads);
            assertThat(r.bodyText()).as("split at %d", split).isEqualTo(whole.bodyText());
            assertThat(r.ends).as("split at %d", split).containsExactly(true);
        }
        for (int split = 1; split < fixed.length(); split++) {
            Recorder r = read(fixed, false, false, split);
            assertThat(r.bodyText()).isEqualTo("hello world");
            assertThat(r.ends).containsExactly(true);
        }
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            int a = 1 + random.nextInt(CHUNKED.length() - 2);
            int b = a + 1 + random.nextInt(CHUNKED.length() - a - 1);
            Recorder r = read(CHUNKED, false, false, a, b);
            assertThat(r.bodyText()).as("splits %d, %d", a, b).isEqualTo(whole.bodyText());
            assertThat(r.ends).containsExactly(true);
        }
    }

    @Test
    void aChunkedBodyPassesWithItsFramingToAnHttp11ClientAndAsDataAloneToAnHttp10One() throws Exception {
        Recorder http11 = read(CHUNKED, false, false);
        assertThat(http11.heads.get(0)).contains("Transfer-Encoding: chunked\r\n").doesNotContain("Connection");
        assertThat(http11.bodyText()).startsWith("5\r\nhello\r\n").endsWith("0\r\nX-Trailer: t\r\n\r\n");

        Recorder http10 = read(CHUNKED, false, true, 40, 90);
        assertThat(http10.heads.get(0)).doesNotContain("Transfer-Encoding").contains("Connection: close\r\n");
        assertThat(http10.bodyText()).isEqualTo("hello, world");
        assertThat(http10.ends).containsExactly(true);
    }

    @Test
    void anHttp10ClientKeptAliveIsToldSo() throws Exception {
        Recorder r = read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false, true);
        assertThat(r.heads.get(0)).endsWith("Connection: keep-alive\r\n\r\n");
    }

    @Test
    void interimAnswersAreReadAwayAndOnlyTheFinalOneIsTold() throws Exception {
        Recorder r = read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false, false, 10, 30);
        assertThat(r.statuses).containsExactly(200);
        assertThat(r.bodyText()).isEqualTo("ok");
    }

    @Test
    void bodilessAnswersEndAtTheirHead() throws Exception {
        Recorder head = read("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", true, false);
        assertThat(head.heads.get(0)).contains("Content-Length: 500");
        assertThat(head.ends).containsExactly(true);
        Recorder noContent = read("HTTP/1.1 204 No Content\r\n\r\n", false, false);
        assertThat(noContent.ends).containsExactly(true);
        Recorder notModified = read("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", false, false);
        assertThat(notModified.ends).containsExactly(true);
        assertThat(notModified.bodyText()).isEmpty();
    }

    @Test
    void aConnectionTheCellClosesOrThatCarriesExtraBytesIsNotReused() throws Exception {
        assertThat(read("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", false, false).ends).containsExactly(false);
        assertThat(read("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false, false).ends).containsExactly(false);
        assertThat(read("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok", false, false).ends)
                .containsExactly(true);
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n", false, false).ends)
                .as("bytes after the response: nobody asked for them").containsExactly(false);
    }

    @Test
    void aBodyWithoutLengthRunsUntilTheCellCloses() throws Exception {
        Recorder r = read("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome", false, false);
        assertThat(r.heads.get(0)).contains("Connection: close");
        assertThat(r.ends).isEmpty();
        CellResponseReader reader = new CellResponseReader(ALLOC);
        Recorder sink = new Recorder();
        reader.expect(sink, false, false);
        reader.read(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n\r\nsome", StandardCharsets.US_ASCII));
        reader.read(Unpooled.copiedBuffer(" more", StandardCharsets.US_ASCII));
        assertThat(sink.ends).isEmpty();
        assertThat(reader.closed()).as("the close ends that body").isTrue();
        assertThat(sink.bodyText()).isEqualTo("some more");
    }

    @Test
    void aConnectionClosedMidResponseIsNoEnd() throws Exception {
        CellResponseReader reader = new CellResponseReader(ALLOC);
        Recorder sink = new Recorder();
        reader.expect(sink, false, false);
        reader.read(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", StandardCharsets.US_ASCII));
        assertThat(reader.closed()).isFalse();
        assertThat(sink.ends).isEmpty();
        CellResponseReader halfHead = new CellResponseReader(ALLOC);
        halfHead.expect(sink, false, false);
        halfHead.read(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-", StandardCharsets.US_ASCII));
        assertThat(halfHead.closed()).isFalse();
        assertThat(sink.statuses).hasSize(1);
    }

    @Test
    void brokenAnswersAreRefusedWithTheReason() {
        assertBroken("HTTP/2 200 OK\r\n\r\n", "is not HTTP/1.x");
        assertBroken("HTTP/1.1 2x0 OK\r\n\r\n", "no 3-digit status");
        assertBroken("SSH-2.0-OpenSSH\r\n\r\n", "is not HTTP/1.x");
        assertBroken("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "has no name");
        assertBroken("HTTP/1.1 200 OK\r\nName : v\r\n\r\n", "has no name");
        assertBroken("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", "line folding");
        assertBroken("HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n", "is not a byte count");
        assertBroken("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "two different Content-Length");
        assertBroken("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "both Content-Length");
        assertBroken("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "does not end in chunked");
        assertBroken("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size line");
        assertBroken("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX", "not followed by CRLF");
        assertBroken("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", "chunk size too large");
        assertBroken("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "forwards no upgrade");
        assertBroken("HTTP/1.1 200 OK\r\nX: " + "y".repeat(CellResponseReader.MAX_HEAD_BYTES) + "\r\n\r\n", "head larger than");
    }

    private static void assertBroken(String wire, String reason) {
        assertThatThrownBy(() -> read(wire, false, false)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining(reason);
    }
}
