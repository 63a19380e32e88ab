package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class FlashSaleIT {

    private static RunningCell cell;

    @BeforeAll
    static void start(PlatformEndpoints platform) throws Exception {
        cell = new RunningCell(platform);
    }

    @AfterAll
    static void stop() throws Exception {
        cell.close();
    }

    @Test
    void two_thousand_racing_checkouts_for_a_thousand_units_make_exactly_a_thousand_orders_and_never_oversell() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = json(cell.admin("POST", "/admin/v1/products", shop,
                "{\"title\": \"Drop\", \"variants\": [{\"sku\": \"DROP-1\", \"price\": {\"amount\": 5000, \"currency\": \"EUR\"}, \"inventory\": 1000}]}"))
                .getJsonArray("variants").getJsonObject(0).getString("id");
        List<String> carts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String cart = json(cell.send("POST", "/api/v1/carts", shop, null)).getString("cartToken");
            cell.send("POST", "/api/v1/carts/" + cart + "/items", shop, "{\"variantId\": \"" + variant + "\", \"quantity\": 1}");
            carts.add(cart);
        }

        Semaphore inFlight = new Semaphore(400); // 400 connections at once: a real flash-sale burst, within this machine's limits
        List<CompletableFuture<HttpResponse<String>>> checkouts = new ArrayList<>();
        for (int i = 0; i < carts.size(); i++) {
            inFlight.acquire();
            checkouts.add(cell.sendAsync("POST", "/api/v1/checkouts", shop,
                            "{\"cartToken\": \"" + carts.get(i) + "\", \"email\": \"buyer" + i + "@example.com\"}", "Idempotency-Key", "flash-" + i)
                    .whenComplete((r, e) -> inFlight.release()));
        }
        Map<Integer, Long> statuses = checkouts.stream().map(CompletableFuture::join)
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

        assertThat(statuses).containsOnly(Map.entry(201, 1000L), Map.entry(409, 1000L));
        assertThat(cell.queryLong("SELECT inventory FROM variants WHERE shop_id = ? AND id = ?", shop.id().value(), Long.parseLong(variant))).isZero();
        assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ?", shop.id().value())).isEqualTo(1000);
        assertThat(cell.queryLong("SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE shop_id = ?", shop.id().value())).isEqualTo(1000);
    }

    @Test
    void fifty_concurrent_retries_with_one_idempotency_key_make_exactly_one_order_and_all_get_its_response() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = json(cell.admin("POST", "/admin/v1/products", shop,
                "{\"title\": \"Retry\", \"variants\": [{\"sku\": \"R\", \"price\": {\"amount\": 100, \"currency\": \"EUR\"}, \"inventory\": 100}]}"))
                .getJsonArray("variants").getJsonObject(0).getString("id");
        String cart = json(cell.send("POST", "/api/v1/carts", shop, null)).getString("cartToken");
        cell.send("POST", "/api/v1/carts/" + cart + "/items", shop, "{\"variantId\": \"" + variant + "\", \"quantity\": 1}");
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
}
