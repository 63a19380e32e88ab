package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guarantee of a move (issue 7's first acceptance line): shoppers of the moving shop and
 * of another shop keep creating carts and checking out through the router while the shop
 * moves from cell-a to cell-b; no request fails (those that meet the freeze are held and
 * delivered), no order is lost or doubled, and the stock adds up.
 */
@ExtendWith(LocalPlatformExtension.class)
class MoveUnderLoadIT {

    static final int STOCK = 100_000;

    /** One shop under load: its shopper loop and what it saw. */
    static final class Shopper implements Runnable {
        final ControlPlaneApi api;
        final String shop;
        final String product;
        final String variant;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger rounds = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> orders = new ConcurrentLinkedQueue<>();
        /** Each order's orderToken, which the shopper's read needs. */
        final Map<String, String> tokens = new ConcurrentHashMap<>();

        Shopper(ControlPlaneApi api, String shop, String product, String variant) {
            this.api = api;
            this.shop = shop;
            this.product = product;
            this.variant = variant;
        }

        @Override
        public void run() {
            Map<String, String> asShop = Map.of("X-Shop-Id", shop);
            while (!stop.get()) {
                int round = rounds.get();
                ControlPlaneApi.Reply cart = step("cart", api.router("POST", "/api/v1/carts", null, asShop), 201);
                if (cart == null) {
                    continue;
                }
                String token = cart.json().get("cartToken").asText();
                if (step("item", api.router("POST", "/api/v1/carts/" + token + "/items",
                        "{\"variantId\":\"" + variant + "\",\"quantity\":1}", asShop), 200) == null) {
                    continue;
                }
                ControlPlaneApi.Reply order = step("checkout", api.router("POST", "/api/v1/checkouts",
                        "{\"cartToken\":\"" + token + "\",\"email\":\"load@example.com\"}",
                        Map.of("X-Shop-Id", shop, "Idempotency-Key", "load-" + shop + "-" + round)), 201);
                if (order != null) {
                    tokens.put(order.json().get("id").asText(), order.json().get("orderToken").asText());
                    orders.add(order.json().get("id").asText());
                }
                step("read", api.router("GET", "/api/v1/products/" + product, null, asShop), 200);
                rounds.incrementAndGet();
            }
        }

        private ControlPlaneApi.Reply step(String what, ControlPlaneApi.Reply reply, int expected) {
            if (reply.status() != expected) {
                failures.add(what + " " + reply.status() + " " + reply.body());
                return null;
            }
            return reply;
        }
    }

    @Test
    void a_shop_moved_under_load_loses_no_request_no_order_and_no_stock_and_another_shop_notices_nothing(PlatformEndpoints platform)
            throws Exception {
        ControlPlaneApi api = new ControlPlaneApi(platform);
        Shopper moving = shopWithStock(api, "cell-a");
        Shopper other = shopWithStock(api, "cell-b");
        Thread movingLoad = Thread.ofPlatform().name("load-moving").start(moving);
        Thread otherLoad = Thread.ofPlatform().name("load-other").start(other);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> moving.rounds.get() >= 5 && other.rounds.get() >= 5);

            ControlPlaneApi.Reply started = api.post("/v1/moves", Map.of("shopId", moving.shop, "targetCell", "cell-b"));
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            String move = started.json().get("moveId").asText();
            JsonNode done = await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/v1/moves/" + move).json(),
                    m -> List.of("COMPLETED", "ABORTED").contains(m.get("phase").asText()));
            assertThat(done.get("phase").asText()).as(done.toString()).isEqualTo("COMPLETED");
            int after = moving.rounds.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> moving.rounds.get() >= after + 5);
        } finally {
            moving.stop.set(true);
            other.stop.set(true);
            movingLoad.join(Duration.ofSeconds(60));
            otherLoad.join(Duration.ofSeconds(60));
        }

        assertThat(moving.failures).as("the moving shop's failed requests").isEmpty();
        assertThat(other.failures).as("the other shop's failed requests").isEmpty();
        assertThat(moving.orders).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(10);
        for (String order : moving.orders) {
            ControlPlaneApi.Reply read = api.router("GET", "/api/v1/orders/" + order, null,
                    Map.of("X-Shop-Id", moving.shop, "X-Order-Token", moving.tokens.get(order)));
            assertThat(read.status()).as("order " + order + " after the move").isEqualTo(200);
            assertThat(read.raw().headers().firstValue("X-Cellshop-Cell")).contains("cell-b");
        }
        OrderEvents.Created events = OrderEvents.awaitCreated(platform, moving.shop, moving.orders, Duration.ofSeconds(60));
        assertThat(events.timesByOrder().keySet()).as("every order of the moving shop announced, from cell-a or cell-b")
                .containsExactlyInAnyOrderElementsOf(moving.orders);
        for (Shopper shopper : List.of(moving, other)) {
            JsonNode product = api.router("GET", "/api/v1/products/" + shopper.product, null, Map.of("X-Shop-Id", shopper.shop)).json();
            assertThat(product.get("variants").get(0).get("inventory").asInt()).as("stock of shop " + shopper.shop)
                    .isEqualTo(STOCK - shopper.orders.size());
        }
    }

    static Shopper shopWithStock(ControlPlaneApi api, String cell) {
        ControlPlaneApi.Reply created = api.shopOn(cell, "Load " + cell);
        String shop = created.json().get("shopId").asText();
        ControlPlaneApi.Reply product = api.router("POST", "/admin/v1/products",
                "{\"title\":\"Stock\",\"variants\":[{\"sku\":\"s-1\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"inventory\":" + STOCK + "}]}",
                Map.of("X-Shop-Id", shop, "Authorization", "Bearer " + created.json().get("adminToken").asText()));
        assertThat(product.status()).as(product.body()).isEqualTo(201);
        return new Shopper(api, shop, product.json().get("id").asText(), product.json().get("variants").get(0).get("id").asText());
    }
}
