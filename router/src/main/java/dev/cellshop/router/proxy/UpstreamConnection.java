package dev.cellshop.router.proxy;

import dev.cellshop.router.balance.Upstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One keep-alive HTTP/1.1 connection to a cell instance, owned by one event loop: either
 * idle in its {@link UpstreamConnections} or carrying exactly one {@link UpstreamAttempt}, to
 * which its {@link CellResponseReader} hands the response as it is read.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

    private final UpstreamConnections pool;
    final CellResponseReader reader;
    Channel channel;
    Upstream upstream;
    UpstreamAttempt attempt; // the attempt it carries, or null while idle
    long idleSinceNanos;
    private Throwable failure;

    UpstreamConnection(UpstreamConnections pool, ByteBufAllocator alloc) {
        this.pool = pool;
        this.reader = new CellResponseReader(alloc);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (attempt == null || !(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg); // an idle connection has nothing to say: not ours to reuse any more
            ctx.close();
            return;
        }
        try {
            reader.read(bytes);
        } catch (MalformedResponseException e) {
            failure = e; // as if the cell had closed the connection: the exchange retries, or answers 502
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamAttempt a = attempt;
        if (a != null) {
            a.readComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamAttempt a = attempt;
        if (a != null) {
            a.writabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.closed(this);
        boolean endedResponse = reader.closed();
        UpstreamAttempt a = attempt;
        attempt = null;
        if (a != null && endedResponse) {
            a.end(false); // the close delimited the body: the response is complete
        } else if (a != null) {
            a.closed(failure);
        }
    }
}
