package dev.cellshop.testkit.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client's connection through a {@link LinkProxy}: the client's socket, the one to the
 * target (opened only once the link lets traffic flow: a client that connects into a black
 * hole is accepted and then hears nothing), and a {@link Pipe} each way.
 */
final class ProxiedConnection {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Socket client;
    private final InetSocketAddress target;
    private final LinkState state;
    private final Consumer<ProxiedConnection> onClose;
    private final AtomicInteger openDirections = new AtomicInteger(2);
    private Socket server;
    private Pipe up;
    private Pipe down;
    private boolean closed;

    ProxiedConnection(Socket client, InetSocketAddress target, LinkState state, Consumer<ProxiedConnection> onClose) {
        this.client = client;
        this.target = target;
        this.state = state;
        this.onClose = onClose;
    }

    /** Connects to the target when the link allows it and starts forwarding; runs on its own thread. */
    void open() {
        try {
            if (!state.awaitFlowing()) {
                close();
                return;
            }
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(target, CONNECT_TIMEOUT_MILLIS);
            client.setTcpNoDelay(true);
            synchronized (this) {
                if (closed) { // cut while connecting
                    socket.close();
                    return;
                }
                server = socket;
                up = new Pipe(client, server, state, this::directionEnded, this::close);
                down = new Pipe(server, client, state, this::directionEnded, this::close);
                String name = "link-" + client.getPort();
                up.start(name + "-up");
                down.start(name + "-down");
            }
        } catch (IOException | InterruptedException e) {
            close(); // the target refused: the client sees its connection dropped, as it would without the proxy
        }
    }

    /** Closes both sockets at once: the peers see the connection dropped. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeQuietly(client);
        if (server != null) {
            closeQuietly(server);
            up.stop();
            down.stop();
        }
        onClose.accept(this);
    }

    private void directionEnded() {
        if (openDirections.decrementAndGet() == 0) {
            close();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyClosed) {
            // nothing left to release
        }
    }
}
