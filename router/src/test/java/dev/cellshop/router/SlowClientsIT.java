package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Clients that send a byte at a time: a head and a body each have a deadline; a client that merely pauses has none. */
@ExtendWith(LocalPlatformExtension.class)
class SlowClientsIT {

    private static final long TRICKLE_MILLIS = 200;

    private static OneShopRouter fixture;
    private static RunningRouter router;
    private static EchoCell cell;
    private static ShopId shop;

    @BeforeAll
    static void start(PlatformEndpoints platform) throws Exception {
        fixture = OneShopRouter.start(platform, "slow-it", Map.of("CELLSHOP_LIMITS_HEADER_TIMEOUT", "1s",
                "CELLSHOP_LIMITS_BODY_TIMEOUT", "1s"));
        router = fixture.router();
        cell = fixture.cell();
        shop = fixture.shop();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void a_header_block_trickled_a_byte_at_a_time_gets_408_and_the_connection_closes() throws Exception {
        // 150 bytes at 200 ms each would take 30 s; every byte resets the idle clock, not the head's deadline.
        String head = "GET /api/v1/products HTTP/1.1\r\nHost: router\r\nX-Shop-Id: " + shop + "\r\nX-Padding: " + "p".repeat(80) + "\r\n\r\n";
        int before = cell.requests.get();
        try (RawClient client = new RawClient(router.port)) {
            long start = System.nanoTime();
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> client.trickle(head, TRICKLE_MILLIS));
            CompletableFuture<String> answer = client.responseLater();
            await().atMost(Duration.ofSeconds(6)).until(answer::isDone);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer.get()).startsWith("HTTP/1.1 408").contains("application/problem+json").contains("1000 ms");
            assertThat(millis).as("at the deadline, within the sweep's third of it").isBetween(900L, 4_000L);
            assertThat(client.closedByRouter()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(trickle::isDone); // the router closed: the trickle stops
        }
        assertThat(cell.requests.get()).isEqualTo(before);
    }

    @Test
    void a_body_trickled_a_byte_at_a_time_gets_408_and_never_reaches_the_cell() throws Exception {
        String target = "/api/v1/carts/slow-" + UUID.randomUUID();
        String body = "{\"variantId\": 1, \"quantity\": 1, \"padding\": \"" + "p".repeat(60) + "\"}";
        int before = cell.requests.get();
        try (RawClient client = new RawClient(router.port)) {
            client.send("POST " + target + " HTTP/1.1\r\nHost: router\r\nX-Shop-Id: " + shop + "\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + body.length() + "\r\n\r\n");
            long start = System.nanoTime();
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> client.trickle(body, TRICKLE_MILLIS));
            CompletableFuture<String> answer = client.responseLater();
            await().atMost(Duration.ofSeconds(6)).until(answer::isDone);
            assertThat(answer.get()).startsWith("HTTP/1.1 408").contains("body");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 4_000L);
            assertThat(client.closedByRouter()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(trickle::isDone);
        }
        assertThat(cell.requests.get()).as("a body this small is read whole before routing: nothing went").isEqualTo(before);
    }

    @Test
    void a_streamed_body_trickled_too_slowly_is_cut_and_the_cell_never_gets_it_whole() throws Exception {
        String target = "/api/v1/carts/slow-chunks-" + UUID.randomUUID();
        try (RawClient client = new RawClient(router.port)) {
            client.send("POST " + target + " HTTP/1.1\r\nHost: router\r\nX-Shop-Id: " + shop + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> client.trickle("1\r\na\r\n".repeat(40) + "0\r\n\r\n", TRICKLE_MILLIS));
            CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> {
                try {
                    String response = client.response(); // a 408, unless the cell had answered first: then only the close
                    return response == null || RawClient.status(response) == 408 || client.closedByRouter();
                } catch (Exception e) {
                    return true;
                }
            });
            await().atMost(Duration.ofSeconds(6)).until(closed::isDone);
            assertThat(closed.get()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(trickle::isDone);
        }
        await().during(Duration.ofMillis(300)).until(() -> cell.received.stream().noneMatch(r -> r.getString("uri").equals(target)));
    }

    @Test
    void a_keep_alive_client_that_pauses_between_requests_longer_than_the_deadlines_is_unaffected() throws Exception {
        try (RawClient client = new RawClient(router.port)) {
            for (int i = 0; i < 3; i++) {
                if (i > 0) {
                    Thread.sleep(1_500); // a pause between requests, longer than both deadlines, is what is tested here
                }
                assertThat(client.get("/api/v1/products/" + i, shop)).startsWith("HTTP/1.1 200");
                String body = "{\"n\":" + i + "}";
                assertThat(client.send("POST /api/v1/carts HTTP/1.1\r\nHost: router\r\nX-Shop-Id: " + shop
                        + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).response()).startsWith("HTTP/1.1 200");
            }
        }
    }
}
