package dev.cellshop.router.proxy;

import dev.cellshop.router.balance.Upstream;
import dev.cellshop.router.breaker.CellBreaker;
import dev.cellshop.router.metrics.RouterMetrics.CellSeries;
import dev.cellshop.router.metrics.RouterMetrics.ErrorKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One try of an {@link Exchange} on one instance: a connection from this loop's pool, the
 * request written to it, the response read from it, under one response deadline. What the
 * instance's health, the cell's breaker and the connection's reuse learn from it is decided
 * here; what the client gets, and whether to try again, by the exchange.
 */
final class UpstreamAttempt extends ResponseDeadlines.Waiting implements UpstreamConnections.Waiter, CellResponseReader.Sink {

    private final Exchange ex;
    private final ProxyHandler proxy;
    final Upstream target;
    private final CellBreaker breaker;
    private final CellSeries series;
    private UpstreamConnection connection;
    private boolean requestSent;  // all of the request went out on this connection
    private boolean unflushed;
    private boolean timedOut;
    private boolean discarding;   // reading away an answer the client does not get (a 421 we retry)
    private boolean misdirected;  // ... a 421: once read away, the exchange routes again
    private boolean over;

    UpstreamAttempt(Exchange ex, Upstream target, CellBreaker breaker, CellSeries series) {
        this.ex = ex;
        this.proxy = ex.proxy;
        this.target = target;
        this.breaker = breaker;
        this.series = series;
    }

    void start() {
        target.started();
        proxy.upstreams().acquire(target, this);
    }

    boolean connected() {
        return connection != null;
    }

    @Override
    public void attached(UpstreamConnection c) {
        if (ex.answered) { // the client left, or was refused, while we connected: the connection is unused
            target.finished();
            proxy.upstreams().release(c);
            return;
        }
        connection = c;
        c.attempt = this;
        c.reader.expect(this, ex.request.method() == HttpMethod.HEAD, ex.clientHttp10);
        requestSent = ex.writeRequest(c.channel);
        c.channel.flush();
        proxy.deadlines().arm(this, System.nanoTime());
    }

    @Override
    public void connectFailed(Throwable cause) {
        target.finished();
        failed(ErrorKind.CONNECT, true);
        ex.connectFailed(this, cause);
    }

    /** A part of a streamed request body; the last one completes the request. */
    void send(HttpContent part, boolean last) {
        Channel channel = connection.channel;
        CellRequestWriter.writeBody(channel, part, ex.plan.chunked());
        unflushed = true;
        if (last) {
            requestSent = true;
            flush();
        } else if (!channel.isWritable()) {
            ex.client.reading(false); // until the cell's connection drains
        }
    }

    void flush() {
        if (unflushed && connection != null) {
            unflushed = false;
            connection.channel.flush();
        }
    }

    @Override
    public void head(CellResponseHead head) {
        breaker.onSuccess();
        if (head.status == 421 && requestSent && ex.claimMisdirectedRetry()) {
            // The cell's fence refused before any handler ran: nothing was done, so any request
            // we can send again goes again (not only idempotent ones, as after a closed
            // connection). This keeps a move's cutover from failing writes that raced the freeze.
            series.error(ErrorKind.MISDIRECTED_RETRY);
            proxy.deadlines().disarm(this);
            discarding = true;
            misdirected = true;
            return;
        }
        if (!ex.answered) {
            ex.responseHead(head);
        }
    }

    @Override
    public void body(ByteBuf bytes) {
        if (discarding || ex.answered) {
            bytes.release();
            return;
        }
        proxy.deadlines().arm(this, System.nanoTime()); // the cell is sending: its next bytes are due within the timeout
        if (!ex.responseContent(bytes)) {
            connection.channel.config().setAutoRead(false); // until the client drains
        }
    }

    @Override
    public void end(boolean reusable) {
        if (discarding || ex.answered) {
            discarding = false;
            finish(reusable && requestSent && !ex.answered);
            if (misdirected) {
                ex.misdirected();
            }
            return;
        }
        finish(reusable && requestSent);
        ex.responseEnd();
    }

    /** The attempt is over: a connection that carried the whole exchange is kept for the next one. */
    private void finish(boolean reusable) {
        over = true;
        proxy.deadlines().disarm(this);
        target.finished();
        UpstreamConnection c = connection;
        connection = null;
        if (c != null) {
            c.attempt = null;
            c.channel.config().setAutoRead(true);
            if (reusable) {
                proxy.upstreams().release(c);
            } else {
                c.channel.close();
            }
        }
    }

    /** The exchange gives up on this attempt (refused mid-body, or the client left): its connection is cut. */
    void abandon() {
        if (!over && connection != null) {
            finish(false);
        }
    }

    void readComplete() {
        ex.flushClient();
    }

    void writabilityChanged(boolean writable) {
        if (writable) {
            ex.client.reading(true);
        }
    }

    /** The client can take more: the cell may send again. */
    void clientWritable() {
        if (connection != null) {
            connection.channel.config().setAutoRead(true);
        }
    }

    /** The cell sent nothing within the response timeout: cut the connection; {@link #closed} reports it. */
    @Override
    void expired() {
        if (connection != null) {
            timedOut = true;
            connection.channel.close();
        }
    }

    /** The connection closed under this attempt: the cell, the network, or our deadline. */
    void closed(Throwable cause) {
        over = true;
        proxy.deadlines().disarm(this);
        connection = null;
        target.finished();
        if (ex.answered) {
            return;
        }
        if (misdirected) {
            ex.misdirected();
        } else {
            ex.attemptFailed(this, timedOut, cause);
        }
    }

    /** A transport failure: counts for the breaker; {@code eject}: the instance itself is in trouble. */
    void failed(ErrorKind kind, boolean eject) {
        long now = System.nanoTime();
        if (eject) {
            target.eject(now + ProxySettings.EJECTION.toNanos());
        }
        breaker.onFailure(now);
        series.error(kind);
        Replies.LOG.warn("event=upstream_failed cell={} instance={} kind={}", target.cellId(), target.instance().instanceId(), kind);
    }
}
