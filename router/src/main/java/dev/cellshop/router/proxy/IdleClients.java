package dev.cellshop.router.proxy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The client connections of one event loop, closed when idle for the server's idle timeout,
 * and held to their deadlines for a request's head and body (limits.header-timeout,
 * limits.body-timeout: {@link ClientConnection#enforceDeadlines}).
 *
 * <p>This replaces Vert.x's idle handler in the connection's pipeline, which watches every
 * write by a listener on its own promise (an allocation and a callback per write, twice
 * per proxied request); here a connection notes the time when a read completes or an
 * exchange ends, and one sweep per loop closes the quiet ones. The deadlines are kept the
 * same way, with no timer per request to set and cancel. Not thread-safe: one loop.
 */
final class IdleClients {

    private final long idleNanos;
    private final long headerNanos;
    private final long bodyNanos;
    private final Set<ClientConnection> open = new HashSet<>();

    IdleClients(ProxySettings settings) {
        this.idleNanos = settings.clientIdleTimeout().toNanos();
        this.headerNanos = settings.headerTimeout().toNanos();
        this.bodyNanos = settings.bodyTimeout().toNanos();
    }

    /** The shortest of the limits this keeps, in ms: the sweep runs often enough for it. */
    long shortestMillis() {
        return Math.min(idleNanos, Math.min(headerNanos, bodyNanos)) / 1_000_000;
    }

    void opened(ClientConnection connection) {
        open.add(connection);
    }

    void closed(ClientConnection connection) {
        open.remove(connection);
    }

    /** Closes the connections with no exchange in flight and nothing read or answered for the idle timeout; enforces the deadlines of the rest. */
    void sweep(long nowNanos) {
        List<ClientConnection> idle = new ArrayList<>();
        List<ClientConnection> busy = new ArrayList<>();
        for (ClientConnection c : open) {
            (c.quietSince(nowNanos) > idleNanos ? idle : busy).add(c);
        }
        idle.forEach(c -> c.channel().close());
        busy.forEach(c -> c.enforceDeadlines(nowNanos, headerNanos, bodyNanos)); // may close: not while iterating
    }
}
