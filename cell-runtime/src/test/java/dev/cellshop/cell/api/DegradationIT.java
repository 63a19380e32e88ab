package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cell that loses a store degrades: what can still be served is, the rest fails fast with 503 + Retry-After. */
class DegradationIT extends CellApiTest {

    @Test
    void with_redis_down_carts_and_checkouts_get_a_fast_503_while_product_reads_keep_working() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String product = cell.product(shop, "KEPT", 100, 5).getString("id");
        platform.stop("cell-a/redis");
        try {
            long started = System.nanoTime();
            HttpResponse<String> cart = cell.send("POST", "/api/v1/carts", shop, null);
            long cartMillis = (System.nanoTime() - started) / 1_000_000;
            HttpResponse<String> checkout = cell.send("POST", "/api/v1/checkouts", shop,
                    "{\"cartToken\": \"AAAAAAAAAAAAAAAAAAAAAA\", \"email\": \"a@b.co\"}", "Idempotency-Key", "down-1");
            HttpResponse<String> read = cell.send("GET", "/api/v1/products/" + product, shop, null);

            assertThat(cart.statusCode()).isEqualTo(503);
            assertThat(cart.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(cart.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(cartMillis).as("a 503 must be fast, not a hang").isLessThan(1000);
            assertThat(checkout.statusCode()).isEqualTo(503);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(json(read).getString("title")).isEqualTo("KEPT");
        } finally {
            platform.start("cell-a/redis");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> cell.send("POST", "/api/v1/carts", shop, null).statusCode() == 201);
    }

    @Test
    void with_memcached_down_product_reads_come_from_mysql_without_an_error() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String product = cell.product(shop, "UNCACHED", 100, 5).getString("id");
        platform.stop("cell-a/memcached");
        try {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> read = cell.send("GET", "/api/v1/products/" + product, shop, null);
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(json(read).getString("title")).isEqualTo("UNCACHED");
            }
            assertThat(cell.send("GET", "/api/v1/products", shop, null).statusCode()).isEqualTo(200);
        } finally {
            platform.start("cell-a/memcached");
        }
    }

    @Test
    void with_kafka_down_checkouts_still_succeed_and_every_event_goes_out_once_it_is_back() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "E", 100, 100);
        List<String> orders = new ArrayList<>();
        platform.stop("kafka");
        try {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> checkout = cell.checkout(shop, cell.cart(shop, variant, 1), "k" + i + "@example.com", "kafka-down-" + i);
                assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(201);
                orders.add(json(checkout).getString("id"));
            }
        } finally {
            platform.start("kafka");
        }

        List<String> delivered = cell.orderEvents(shop, 20).stream()
                .filter(e -> e.getString("type").equals("order.created")).map(e -> e.getString("orderId")).distinct().toList();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(orders);
    }
}
