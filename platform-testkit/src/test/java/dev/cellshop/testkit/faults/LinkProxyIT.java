package dev.cellshop.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's modes seen from a client, with real sockets, through it to a local echo server. */
class LinkProxyIT {

    private static final Duration SILENCE = Duration.ofMillis(700);

    private ServerSocket echo;
    private final AtomicInteger echoConnections = new AtomicInteger();
    private LinkProxy link;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    echoConnections.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException dropped) {
                            // the proxy closed the connection
                        }
                    });
                } catch (IOException closed) {
                    // the test is over
                }
            }
        });
        link = new LinkProxy("127.0.0.1:" + echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        link.close();
        echo.close();
    }

    @Test
    void in_pass_mode_bytes_go_through_both_ways_and_a_close_reaches_the_other_side() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
            client.shutdownOutput(); // the echo server sees the end and closes: the client reads the end too
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> link.openConnections() == 0);
    }

    @Test
    void cut_drops_the_open_connections_and_refuses_new_ones_until_pass_heals_the_link() throws IOException {
        Socket open = connect();
        assertThat(roundTrip(open, "before")).isEqualTo("before");

        link.cut();
        assertThat(link.mode()).isEqualTo(LinkMode.CUT);
        assertDropped(open);
        assertDropped(connect());

        link.pass();
        try (Socket healed = connect()) {
            assertThat(roundTrip(healed, "after")).isEqualTo("after");
        }
    }

    @Test
    void blackhole_forwards_nothing_and_closes_nothing_and_pass_resumes_the_held_connections() throws IOException {
        Socket open = connect();
        assertThat(roundTrip(open, "before")).isEqualTo("before");
        int reachedTheServer = echoConnections.get();

        link.blackhole();
        send(open, "held");
        assertSilent(open);
        Socket opened = connect(); // accepted by the proxy, but never reaches the server
        send(opened, "new");
        assertSilent(opened);
        assertThat(echoConnections.get()).isEqualTo(reachedTheServer);
        assertThat(link.openConnections()).isEqualTo(2);

        link.pass();
        assertThat(read(open, 4)).isEqualTo("held");
        assertThat(read(opened, 3)).isEqualTo("new");
        assertThat(roundTrip(open, "after")).isEqualTo("after");
        open.close();
        opened.close();
    }

    @Test
    void cut_closes_the_connections_a_blackhole_holds() throws IOException {
        Socket open = connect();
        assertThat(roundTrip(open, "before")).isEqualTo("before");
        link.blackhole();
        Socket opened = connect();

        link.cut();
        assertDropped(open);
        assertDropped(opened);
        await().atMost(Duration.ofSeconds(5)).until(() -> link.openConnections() == 0);
    }

    @Test
    void latency_delays_each_direction_and_pass_removes_it() throws IOException {
        try (Socket client = connect()) {
            link.latency(Duration.ofMillis(300));
            long start = System.nanoTime();
            assertThat(roundTrip(client, "slow")).isEqualTo("slow");
            long slowMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(slowMillis).as("a round trip crosses the delay twice").isGreaterThanOrEqualTo(600);

            link.pass();
            start = System.nanoTime();
            assertThat(roundTrip(client, "fast")).isEqualTo("fast");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(300);
        }
    }

    @Test
    void latency_keeps_the_throughput_of_a_stream() throws IOException {
        link.latency(Duration.ofMillis(100));
        try (Socket client = connect()) {
            byte[] payload = new byte[4 * 1024 * 1024];
            Thread.ofVirtual().start(() -> {
                try {
                    client.getOutputStream().write(payload);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long start = System.nanoTime();
            byte[] back = client.getInputStream().readNBytes(payload.length);
            assertThat(back).hasSize(payload.length);
            // one delay per chunk in a row would be hundreds of chunks × 200 ms; in flight together it is about one round trip
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        }
    }

    @Test
    void a_target_that_refuses_drops_the_clients_connection() throws IOException {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        try (LinkProxy nowhere = new LinkProxy("127.0.0.1:" + closedPort)) {
            Socket client = new Socket();
            client.connect(hostPort(nowhere), 2_000);
            assertDropped(client);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(hostPort(link), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static InetSocketAddress hostPort(LinkProxy proxy) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port());
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        send(socket, text);
        return read(socket, text.length());
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static String read(Socket socket, int length) throws IOException {
        return new String(socket.getInputStream().readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static void assertSilent(Socket socket) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout((int) SILENCE.toMillis());
        try {
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    /** The peer closed or reset the connection: a read ends, it does not time out. */
    private static void assertDropped(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        try (InputStream in = socket.getInputStream()) {
            assertThat(in.read()).isEqualTo(-1);
        } catch (SocketTimeoutException hung) {
            throw new AssertionError("the connection was not dropped: it hangs", hung);
        } catch (IOException reset) {
            // a reset is a drop too
        }
    }
}
