package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client connection's life at the router: closed when idle, kept while a request is in flight, and a stop's grace. */
@ExtendWith(LocalPlatformExtension.class)
class ClientConnectionLifecycleIT {

    private static final long IDLE_MILLIS = 1000;

    private static PlatformEndpoints platform;
    private static TopologyPaths paths;
    private static RunningRouter router;
    private static EchoCell quick;
    private static EchoCell slow;
    private static ShopId quickShop;
    private static ShopId slowShop;

    @BeforeAll
    static void start(PlatformEndpoints endpoints) throws Exception {
        platform = endpoints;
        paths = new TopologyPaths("/lifecycle-it-" + UUID.randomUUID().toString().substring(0, 8));
        router = new RunningRouter(platform, paths, Map.of("CELLSHOP_LIMITS_CLIENT_IDLE_TIMEOUT", IDLE_MILLIS + "ms"));
        quick = new EchoCell(router.vertx, router.curator, paths, "quick");
        slow = new EchoCell(router.vertx, router.curator, paths, "slow");
        quick.startInstance();
        slow.startInstance();
        slow.delayMillis = 2500; // longer than the idle timeout
        quickShop = RunningRouter.newShopId();
        slowShop = RunningRouter.newShopId();
        router.place(quickShop, "quick", PlacementState.ACTIVE, 1);
        router.place(slowShop, "slow", PlacementState.ACTIVE, 1);
        await().until(() -> router.client.get("/api/v1/ping", router.shopHeader(quickShop)).status() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        quick.close();
        slow.close();
        router.close();
    }

    @Test
    void anIdleClientConnectionIsClosedAfterTheIdleTimeoutAndOneInUseIsKept() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", router.port)) {
            socket.setSoTimeout(10_000);
            // In use: a request every 400 ms for 3 s (three idle timeouts) all go over this one connection.
            for (int i = 0; i < 8; i++) {
                if (i > 0) {
                    Thread.sleep(400); // the pause between a client's requests is what is tested here
                }
                assertThat(exchange(socket, "GET /api/v1/ping/" + i, quickShop)).startsWith("HTTP/1.1 200");
            }
            long idleFrom = System.nanoTime();
            assertThat(socket.getInputStream().read()).as("the router closes the idle connection").isEqualTo(-1);
            long idleMillis = (System.nanoTime() - idleFrom) / 1_000_000;
            // Kept to within a third of the timeout by the sweep (plus a loaded machine's slack).
            assertThat(idleMillis).isBetween(IDLE_MILLIS - 100, IDLE_MILLIS * 3);
        }
    }

    @Test
    void aRequestInFlightLongerThanTheIdleTimeoutIsAnsweredOnItsConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", router.port)) {
            socket.setSoTimeout(10_000);
            String answer = exchange(socket, "GET /api/v1/slow", slowShop);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"uri\":\"/api/v1/slow\"");
            assertThat(exchange(socket, "GET /api/v1/after", quickShop)).as("still open after it").startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aStoppingRouterFinishesTheRequestInFlightBeforeItCloses() throws Exception {
        RunningRouter stopping = new RunningRouter(platform, paths, Map.of());
        await().until(() -> stopping.client.get("/api/v1/ping", stopping.shopHeader(quickShop)).status() == 200);
        try (Socket socket = new Socket("127.0.0.1", stopping.port)) {
            socket.setSoTimeout(10_000);
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return exchange(socket, "GET /api/v1/in-flight", slowShop);
                } catch (IOException e) {
                    return "failed: " + e;
                }
            });
            int before = slow.requests.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.requests.get() > before); // it reached the cell
            long stopFrom = System.nanoTime();
            stopping.close(); // returns once the router has stopped

            assertThat(answer.get()).startsWith("HTTP/1.1 200").contains("\"uri\":\"/api/v1/in-flight\"");
            assertThat((System.nanoTime() - stopFrom) / 1_000_000).as("the stop waited for the answer").isGreaterThan(1000);
            assertThat(socket.getInputStream().read()).as("then the connection closes").isEqualTo(-1);
        }
    }

    /** Sends a keep-alive GET for {@code shop} and reads one whole response (head and Content-Length body). */
    private static String exchange(Socket socket, String requestLine, ShopId shop) throws IOException {
        String request = requestLine + " HTTP/1.1\r\nHost: router\r\nX-Shop-Id: " + shop + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes of the response head");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
