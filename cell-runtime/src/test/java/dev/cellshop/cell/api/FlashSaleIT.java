package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FlashSaleIT extends CellApiTest {

    @Test
    void two_thousand_racing_checkouts_for_a_thousand_units_make_exactly_a_thousand_orders_and_never_oversell() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "DROP-1", 5000, 1000);
        List<String> carts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String cart = cell.cart(shop, variant, 1);
            carts.add(cart);
        }

        // 400 connections at once: a real flash-sale burst within this machine's limits. Buyers do what the
        // API asks of them: on 503 they retry after Retry-After with the same Idempotency-Key.
        Semaphore inFlight = new Semaphore(400);
        List<CompletableFuture<HttpResponse<String>>> checkouts = new ArrayList<>();
        for (int i = 0; i < carts.size(); i++) {
            inFlight.acquire();
            checkouts.add(checkoutRetryingOn503(shop, carts.get(i), "buyer" + i + "@example.com", "flash-" + i, 5)
                    .whenComplete((r, e) -> inFlight.release()));
        }
        List<HttpResponse<String>> responses = checkouts.stream().map(CompletableFuture::join).toList();
        Map<Integer, Long> statuses = responses.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

        assertThat(statuses).as("first unexpected: %s", responses.stream().filter(r -> r.statusCode() != 201 && r.statusCode() != 409)
                        .map(HttpResponse::body).findFirst().orElse("none")).containsOnly(Map.entry(201, 1000L), Map.entry(409, 1000L));
        assertThat(cell.queryLong("SELECT inventory FROM variants WHERE shop_id = ? AND id = ?", shop.id().value(), Long.parseLong(variant))).isZero();
        assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ?", shop.id().value())).isEqualTo(1000);
        assertThat(cell.queryLong("SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE shop_id = ?", shop.id().value())).isEqualTo(1000);
    }

    private static CompletableFuture<HttpResponse<String>> checkoutRetryingOn503(RunningCell.Shop shop, String cart, String email,
                                                                              String key, int attemptsLeft) {
        return cell.checkoutAsync(shop, cart, email, key).thenCompose(response -> response.statusCode() != 503 || attemptsLeft == 1
                ? CompletableFuture.completedFuture(response)
                : CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                                Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")), TimeUnit.SECONDS))
                        .thenCompose(v -> checkoutRetryingOn503(shop, cart, email, key, attemptsLeft - 1)));
    }

    @Test
    void fifty_concurrent_retries_with_one_idempotency_key_make_exactly_one_order_and_all_get_its_response() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "R", 100, 100);
        String cart = cell.cart(shop, variant, 1);
        String body = "{\"cartToken\": \"" + cart + "\", \"email\": \"same@example.com\"}";

        List<CompletableFuture<HttpResponse<String>>> retries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            retries.add(cell.sendAsync("POST", "/api/v1/checkouts", shop, body, "Idempotency-Key", "one-key"));
        }
        List<HttpResponse<String>> responses = retries.stream().map(CompletableFuture::join).toList();

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(201);
        assertThat(responses).extracting(r -> json(r).getString("id")).containsOnly(json(responses.get(0)).getString("id"));
        assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ?", shop.id().value())).isEqualTo(1);
        assertThat(cell.queryLong("SELECT inventory FROM variants WHERE shop_id = ? AND id = ?", shop.id().value(), Long.parseLong(variant))).isEqualTo(99);

        HttpResponse<String> otherBody = cell.send("POST", "/api/v1/checkouts", shop,
                "{\"cartToken\": \"" + cart + "\", \"email\": \"other@example.com\"}", "Idempotency-Key", "one-key");
        assertThat(otherBody.statusCode()).isEqualTo(422);
        assertThat(json(otherBody).getString("detail")).contains("already used with a different request body");
        assertThat(responses.stream().filter(r -> r.headers().firstValue("Idempotent-Replayed").orElseThrow().equals("false")))
                .as("one response made the order; the others replayed it").hasSize(1);
    }

    @Test
    void a_retry_after_the_order_is_made_replays_it_and_the_key_with_another_cart_still_in_redis_gets_422() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "K", 100, 10);
        String cart = cell.cart(shop, variant, 1);
        String otherCart = cell.cart(shop, variant, 2);
        String body = "{\"cartToken\": \"" + cart + "\", \"email\": \"k@example.com\"}";

        HttpResponse<String> first = cell.send("POST", "/api/v1/checkouts", shop, body, "Idempotency-Key", "key-k");
        HttpResponse<String> retry = cell.send("POST", "/api/v1/checkouts", shop, body, "Idempotency-Key", "key-k");
        HttpResponse<String> otherBody = cell.send("POST", "/api/v1/checkouts", shop,
                "{\"cartToken\": \"" + otherCart + "\", \"email\": \"k@example.com\"}", "Idempotency-Key", "key-k");
        HttpResponse<String> goneCartNewKey = cell.send("POST", "/api/v1/checkouts", shop, body, "Idempotency-Key", "key-new");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).as("the cart is gone, the first response is not").isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(otherBody.statusCode()).isEqualTo(422);
        assertThat(goneCartNewKey.statusCode()).isEqualTo(404);
        assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ?", shop.id().value())).isEqualTo(1);
        assertThat(cell.queryLong("SELECT inventory FROM variants WHERE shop_id = ? AND id = ?", shop.id().value(), Long.parseLong(variant))).isEqualTo(9);
    }
}
