package dev.cellshop.router.proxy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The client connections of one event loop, closed when idle for the server's idle timeout.
 *
 * <p>This replaces Vert.x's idle handler in the connection's pipeline, which watches every
 * write by a listener on its own promise (an allocation and a callback per write, twice
 * per proxied request); here a connection notes the time when a read completes or an
 * exchange ends, and one sweep per loop closes the quiet ones. Not thread-safe: one loop.
 */
final class IdleClients {

    private final long idleNanos;
    private final Set<ClientConnection> open = new HashSet<>();

    IdleClients(long idleNanos) {
        this.idleNanos = idleNanos;
    }

    void opened(ClientConnection connection) {
        open.add(connection);
    }

    void closed(ClientConnection connection) {
        open.remove(connection);
    }

    /** Closes the connections with no exchange in flight and nothing read or answered for the idle timeout. */
    void closeIdle(long nowNanos) {
        List<ClientConnection> idle = new ArrayList<>();
        for (ClientConnection c : open) {
            if (c.quietSince(nowNanos) > idleNanos) {
                idle.add(c);
            }
        }
        idle.forEach(c -> c.channel().close());
    }
}
