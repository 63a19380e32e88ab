package dev.cellshop.testkit.faults;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of one server (ZooKeeper, MySQL, Redis, Kafka...) through which one
 * component reaches it, so a test can break that one link, and only it: {@link #cut()},
 * {@link #blackhole()}, {@link #latency(Duration)}, and {@link #pass()} to heal. The package
 * page describes what each mode does to open and new connections.
 */
public final class LinkProxy implements Closeable {

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final LinkState state = new LinkState();
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();

    /** A proxy to {@code host:port} listening on an ephemeral loopback port. */
    public LinkProxy(String targetHostPort) throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), hostPort(targetHostPort));
    }

    public LinkProxy(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        this.target = target;
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(listen, 128);
        Thread.ofVirtual().name("link-accept-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    /** The {@code host:port} a client uses to go through this link. */
    public String address() {
        return listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public LinkMode mode() {
        return state.mode();
    }

    /** The delay each direction adds (zero unless {@link LinkMode#LATENCY}). */
    public Duration latency() {
        return Duration.ofNanos(state.latencyNanos());
    }

    /** Forwards both ways again; connections held by a black hole resume where they stopped. */
    public void pass() {
        state.set(LinkMode.PASS, Duration.ZERO);
    }

    /** Drops every connection and refuses new ones (accepted, then closed) until another mode. */
    public void cut() {
        state.set(LinkMode.CUT, Duration.ZERO);
        List.copyOf(connections).forEach(ProxiedConnection::close);
    }

    /** Forwards nothing and closes nothing, on open and new connections, until another mode. */
    public void blackhole() {
        state.set(LinkMode.BLACKHOLE, Duration.ZERO);
    }

    /** Delays every byte by {@code delay} in each direction (a round trip gains twice that). */
    public void latency(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a negative latency: " + delay);
        }
        state.set(LinkMode.LATENCY, delay);
    }

    /** The number of client connections the proxy holds now. */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public void close() {
        cut();
        try {
            listener.close();
        } catch (IOException alreadyClosed) {
            // nothing left to release
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                continue; // the loop ends once the listener is closed
            }
            ProxiedConnection connection = new ProxiedConnection(client, target, state, connections::remove);
            connections.add(connection);
            if (state.mode() == LinkMode.CUT) {
                connection.close();
            } else {
                Thread.ofVirtual().name("link-open-" + client.getPort()).start(connection::open);
            }
        }
    }

    static InetSocketAddress hostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
