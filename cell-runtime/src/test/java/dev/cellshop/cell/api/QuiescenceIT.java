package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.signing.RequestSignature;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a move's cutover asks each instance of the source cell after freezing a shop: has it
 * seen the freeze, and has every request of the shop it admitted before finished? A checkout
 * held up inside its transaction (its stock row locked here) keeps the answer "no" until it commits.
 */
class QuiescenceIT extends CellApiTest {

    @Test
    void an_instance_is_quiescent_only_once_it_has_seen_the_freeze_and_its_last_admitted_request_of_the_shop_ended()
            throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "Q1", 500, 3);
        String cart = cell.cart(shop, variant, 1);
        Placement active = Placement.initial(CellId.of("cell-a"));
        Placement frozen = active.freeze();
        String path = "/internal/v1/shops/" + shop.id() + "/quiescence";

        JsonObject before = json(cell.send("GET", path, shop, null, RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch())));
        assertThat(before.getBoolean("quiescent")).as("the freeze is not placed yet").isFalse();
        assertThat(before.getLong("epoch")).isEqualTo(active.epoch());

        try (Connection lock = cell.lockStock(shop, variant)) {
            // admitted at the old epoch, then stuck on the stock row inside its transaction
            CompletableFuture<HttpResponse<String>> checkout = cell.checkoutAsync(shop, cart, "q@example.com", "quiesce-1");
            await().atMost(Duration.ofSeconds(10)).until(() -> json(cell.send("GET", path, shop, null,
                    RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch()))).getInteger("inFlight") == 1);

            cell.place(shop, frozen);
            await().atMost(Duration.ofSeconds(10)).until(() -> json(cell.send("GET", path, shop, null,
                    RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch()))).getString("state").equals("FROZEN"));
            JsonObject stuck = json(cell.send("GET", path, shop, null, RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch())));
            assertThat(stuck.getBoolean("quiescent")).as("a write of the shop is still in flight").isFalse();
            assertThat(stuck.getInteger("inFlight")).isEqualTo(1);
            assertThat(cell.send("GET", "/api/v1/products", shop, null, RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch()))
                    .statusCode()).as("nothing new is admitted while frozen").isEqualTo(421);

            lock.commit();
            assertThat(checkout.join().statusCode()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> json(cell.send("GET", path, shop, null,
                RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch()))).getBoolean("quiescent"));
    }

    /**
     * The second race of issue 15: a request whose client left counted as in flight for a fixed
     * 10 s while its transaction could wait on a lock for 50 s (InnoDB's default) and commit
     * after the instance had reported the shop quiescent. Now every statement and the whole
     * transaction are bounded, and the count outlasts them.
     */
    @Test
    void a_write_whose_client_left_can_no_longer_commit_once_the_instance_reports_it_ended() throws Exception {
        try (RunningCell bounded = new RunningCell(platform.endpoints(), Map.of("CELLSHOP_MYSQL_TRANSACTION_DEADLINE", "1s",
                "CELLSHOP_MYSQL_STATEMENT_TIMEOUT", "1s", "CELLSHOP_MYSQL_LOCK_WAIT_TIMEOUT", "1s"))) {
            RunningCell.Shop shop = bounded.createShop();
            String variant = bounded.variant(shop, "Q2", 500, 3);
            String abandoned = bounded.cart(shop, variant, 1);
            String probe = bounded.cart(shop, variant, 1);
            String path = "/internal/v1/shops/" + shop.id() + "/quiescence";

            try (Connection lock = bounded.lockStock(shop, variant)) {
                try (Socket client = new Socket("127.0.0.1", bounded.port)) {
                    client.getOutputStream().write(signedCheckout(bounded, shop, abandoned, "gone@example.com", "quiesce-2"));
                    await().atMost(Duration.ofSeconds(10)).until(() -> json(bounded.send("GET", path, shop, null)).getInteger("inFlight") == 1);
                } // the shopper gives up: the connection closes with the checkout stuck on the stock row
                await().atMost(Duration.ofSeconds(15)).until(() -> json(bounded.send("GET", path, shop, null)).getInteger("inFlight") == 0);
                lock.commit();
            }
            // queues behind the abandoned checkout on the stock row, had that one still been waiting
            assertThat(bounded.checkout(shop, probe, "probe@example.com", "quiesce-3").statusCode()).isEqualTo(201);
            assertThat(bounded.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ? AND email = 'gone@example.com'", shop.id().value()))
                    .as("no write of the shop commits after the instance counted its request as ended").isZero();
        }
    }

    private static byte[] signedCheckout(RunningCell cell, RunningCell.Shop shop, String cart, String email, String key) {
        String path = "/api/v1/checkouts";
        String body = "{\"cartToken\": \"" + cart + "\", \"email\": \"" + email + "\"}";
        long now = System.currentTimeMillis();
        String request = "POST " + path + " HTTP/1.1\r\nHost: cell\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Idempotency-Key: " + key + "\r\n"
                + signedHeaders(cell.signed(shop.id(), 1, now, "POST", path, body, "Idempotency-Key", key)) + "\r\n" + body;
        return request.getBytes(StandardCharsets.UTF_8);
    }

    private static String signedHeaders(java.util.Map<String, String> headers) {
        StringBuilder lines = new StringBuilder();
        headers.forEach((name, value) -> lines.append(name).append(": ").append(value).append("\r\n"));
        return lines.toString();
    }

    @Test
    void the_question_is_refused_unsigned_or_signed_for_another_shop() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        RunningCell.Shop other = cell.createShop();
        String path = "/internal/v1/shops/" + shop.id() + "/quiescence";

        HttpResponse<String> unsigned = cell.send("GET", path, shop, null, RequestSignature.SIGNATURE_HEADER, "",
                RequestSignature.TIMESTAMP_HEADER, Long.toString(System.currentTimeMillis()));
        HttpResponse<String> crossed = cell.send("GET", path, other, null);

        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(crossed.statusCode()).isEqualTo(400);
        assertThat(json(crossed).getString("detail")).contains("signed for shop " + other.id());
    }
}
