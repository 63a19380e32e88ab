package dev.cellshop.router.proxy;

import dev.cellshop.router.balance.Upstream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.vertx.core.spi.transport.Transport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one event loop to the cell instances, opened on that same loop, so a
 * request and its upstream connection never cross threads and the pool needs no lock.
 *
 * <p>As nginx's {@code keepalive}: up to {@code maxIdle} idle connections are kept per
 * instance (most recently used first, so the rest idle out); while busy, more are opened,
 * and those beyond the limit close when their exchange ends. No request ever waits for a
 * connection of another request, so there is no waiter queue to bound.
 */
final class UpstreamConnections {

    /** Idle connections older than this are closed before the cell's own idle timeout can race a reuse. */
    static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** What asked for a connection: told once, on the event loop. */
    interface Waiter {
        void attached(UpstreamConnection connection);

        void connectFailed(Throwable cause);
    }

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final int maxIdle;
    private final Map<Upstream, ArrayDeque<UpstreamConnection>> idle = new IdentityHashMap<>();

    UpstreamConnections(EventLoop loop, Transport transport, ProxySettings settings) {
        this.loop = loop;
        this.maxIdle = settings.maxConnectionsPerInstance();
        this.bootstrap = new Bootstrap().group(loop).channelFactory(transport.channelFactory(false))
                .option(ChannelOption.ALLOCATOR, ProxyHandler.BUFFERS) // as the client side: see ProxyHandler#handle
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // No HTTP codec: requests go out as bytes (CellRequestWriter), responses are read in place.
                        ch.pipeline().addLast(new UpstreamConnection(UpstreamConnections.this, ch.alloc()));
                    }
                });
    }

    EventLoop loop() {
        return loop;
    }

    /** An idle connection to {@code upstream} if one is open, else a new one; {@code waiter} hears which. */
    void acquire(Upstream upstream, Waiter waiter) {
        ArrayDeque<UpstreamConnection> ready = idle.get(upstream);
        while (ready != null && !ready.isEmpty()) {
            UpstreamConnection connection = ready.pollLast();
            if (connection.channel.isActive()) {
                waiter.attached(connection);
                return;
            }
        }
        ChannelFuture connecting = bootstrap.connect(upstream.address());
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                UpstreamConnection connection = connecting.channel().pipeline().get(UpstreamConnection.class);
                connection.upstream = upstream;
                waiter.attached(connection);
            } else {
                waiter.connectFailed(done.cause());
            }
        });
    }

    /** The exchange on {@code connection} ended cleanly: keep it for the next request, or close it. */
    void release(UpstreamConnection connection) {
        connection.attempt = null;
        if (!connection.channel.isActive()) {
            return;
        }
        ArrayDeque<UpstreamConnection> ready = idle.computeIfAbsent(connection.upstream, u -> new ArrayDeque<>());
        if (ready.size() >= maxIdle) {
            connection.channel.close();
            return;
        }
        connection.idleSinceNanos = System.nanoTime();
        ready.addLast(connection);
    }

    /** The connection closed (the cell closed it, or we did); an idle one leaves the pool. */
    void closed(UpstreamConnection connection) {
        ArrayDeque<UpstreamConnection> ready = connection.upstream == null ? null : idle.get(connection.upstream);
        if (ready != null && connection.attempt == null) {
            ready.remove(connection);
        }
    }

    /** Closes the connections idle for longer than the keep-alive time, and forgets instances with none left. */
    void closeIdle(long nowNanos) {
        List<UpstreamConnection> expired = new ArrayList<>();
        idle.values().forEach(ready -> ready.forEach(c -> {
            if (nowNanos - c.idleSinceNanos > KEEP_ALIVE_NANOS) {
                expired.add(c);
            }
        }));
        expired.forEach(c -> c.channel.close());
        idle.values().removeIf(ArrayDeque::isEmpty);
    }

    void closeAll() {
        List<UpstreamConnection> all = new ArrayList<>();
        idle.values().forEach(all::addAll);
        all.forEach(c -> c.channel.close());
    }
}
