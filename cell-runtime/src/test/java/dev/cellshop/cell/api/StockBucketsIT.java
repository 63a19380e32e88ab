package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A variant's stock split over buckets for a sale: no oversell, no false sold-out, one right figure throughout, merged back after. */
@ExtendWith(LocalPlatformExtension.class)
class StockBucketsIT {

    /** Short enough to see the merge in a test, long enough that a running race never stands still that long. */
    private static final Duration MERGE_AFTER = Duration.ofSeconds(2);
    /** Checkouts of one variant per second that split it: above what the other tests sell one by one. */
    private static final int AUTO_SPLIT_RATE = 20;

    private static RunningCell cell;

    @BeforeAll
    static void startCell(LocalPlatform platform) throws Exception {
        cell = new RunningCell(platform.endpoints(), Map.of("CELLSHOP_STOCK_BUCKETS_MERGE_AFTER", MERGE_AFTER.toMillis() + "ms",
                "CELLSHOP_STOCK_BUCKETS_MERGE_CHECK", "200ms", "CELLSHOP_STOCK_BUCKETS_AUTO_SPLIT_RATE", Integer.toString(AUTO_SPLIT_RATE)));
    }

    @AfterAll
    static void stopCell() throws Exception {
        cell.close();
    }

    @Test
    void two_thousand_buyers_racing_for_a_thousand_units_in_eight_buckets_get_a_thousand_orders_a_thousand_sold_outs_and_no_5xx_while_the_figure_only_falls()
            throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "SALE-1", 5000, 1000);
        List<String> carts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            carts.add(cell.cart(shop, variant, 1));
        }
        assertThat(buckets(shop, variant, "{\"buckets\": 8}").getJsonArray("bucketInventory")).containsOnly(125);

        Sampler sampler = new Sampler(shop, variant);
        Thread sampling = Thread.ofVirtual().start(sampler);
        Semaphore inFlight = new Semaphore(400);
        List<CompletableFuture<HttpResponse<String>>> checkouts = new ArrayList<>();
        for (int i = 0; i < carts.size(); i++) {
            inFlight.acquire();
            checkouts.add(cell.checkoutAsync(shop, carts.get(i), "buyer" + i + "@example.com", "sale-" + i).whenComplete((r, e) -> inFlight.release()));
        }
        List<HttpResponse<String>> responses = checkouts.stream().map(CompletableFuture::join).toList();
        Map<Integer, Long> statuses = responses.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

        assertThat(statuses).as("first unexpected: %s", responses.stream().filter(r -> r.statusCode() != 201 && r.statusCode() != 409)
                .map(HttpResponse::body).findFirst().orElse("none")).containsOnly(Map.entry(201, 1000L), Map.entry(409, 1000L));
        assertThat(responses.stream().filter(r -> r.statusCode() == 409).map(r -> json(r).getString("detail")))
                .allMatch(detail -> detail.startsWith("sold out"));
        assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ?", shop.id().value())).isEqualTo(1000);
        assertThat(cell.queryLong("SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE shop_id = ?", shop.id().value())).isEqualTo(1000);
        assertThat(stock(shop, variant).getLong("inventory")).isZero();
        // the sale is over: its buckets go back onto the variant, the figure staying 0 meanwhile
        await().atMost(Duration.ofSeconds(30)).until(() -> stock(shop, variant).getInteger("buckets") == 0);
        sampler.stop();
        sampling.join();

        assertThat(sampler.failures).as("samples of the figure that were wrong").isEmpty();
        assertThat(sampler.samples).as("samples taken while the sale ran and merged").isGreaterThan(10);
        assertThat(stock(shop, variant).getLong("variantRowInventory")).isZero();
        assertThat(product(shop, variant).getInteger("inventory")).as("the storefront's figure").isZero();
    }

    @Test
    void a_quantity_larger_than_any_bucket_is_taken_from_several_and_only_a_short_total_is_sold_out() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "SPLIT-7", 100, 10);
        assertThat(buckets(shop, variant, "{\"buckets\": 4}").getJsonArray("bucketInventory")).containsExactly(3, 3, 2, 2);

        HttpResponse<String> seven = cell.checkout(shop, cell.cart(shop, variant, 7), "seven@example.com", "q-7");
        HttpResponse<String> four = cell.checkout(shop, cell.cart(shop, variant, 4), "four@example.com", "q-4");
        HttpResponse<String> three = cell.checkout(shop, cell.cart(shop, variant, 3), "three@example.com", "q-3");

        assertThat(seven.statusCode()).as(seven.body()).isEqualTo(201);
        assertThat(four.statusCode()).as("3 left in total: %s", four.body()).isEqualTo(409);
        assertThat(json(four).getString("detail")).contains("sold out");
        assertThat(three.statusCode()).as("the last 3, wherever they lie: %s", three.body()).isEqualTo(201);
        JsonObject after = stock(shop, variant);
        assertThat(after.getLong("inventory")).isZero();
        assertThat(after.getInteger("buckets")).isEqualTo(4);

        // a cancelled order's units go back onto the variants row, and the figure counts them
        HttpResponse<String> cancelled = cell.admin("POST", "/admin/v1/orders/" + json(seven).getString("id") + "/cancel", shop, null);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(stock(shop, variant).getLong("inventory")).isEqualTo(7);
        assertThat(stock(shop, variant).getLong("variantRowInventory")).isEqualTo(7);
        assertThat(cell.checkout(shop, cell.cart(shop, variant, 5), "five@example.com", "q-5").statusCode()).isEqualTo(201);

        // a merchant's inventory is the figure, spread over the buckets
        HttpResponse<String> patched = cell.admin("PATCH", "/admin/v1/variants/" + variant, shop, "{\"inventory\": 9}");
        assertThat(json(patched).getInteger("inventory")).isEqualTo(9);
        assertThat(stock(shop, variant).getJsonArray("bucketInventory")).containsExactly(3, 2, 2, 2);
        assertThat(stock(shop, variant).getLong("variantRowInventory")).isZero();
    }

    @Test
    void buckets_merge_back_onto_the_variant_by_the_merchant_or_once_idle_and_the_figure_stays_the_same() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "MERGE-1", 100, 100);
        buckets(shop, variant, "{\"buckets\": 8}");
        for (int i = 0; i < 3; i++) {
            assertThat(cell.checkout(shop, cell.cart(shop, variant, 1), "m" + i + "@example.com", "m-" + i).statusCode()).isEqualTo(201);
        }
        List<Long> figures = new CopyOnWriteArrayList<>();

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonObject now = stock(shop, variant);
            figures.add(now.getLong("inventory"));
            return now.getInteger("buckets") == 0;
        });

        assertThat(figures).as("the figure while merging").containsOnly(97L);
        assertThat(stock(shop, variant).getLong("variantRowInventory")).isEqualTo(97);
        assertThat(cell.queryLong("SELECT COUNT(*) FROM variant_stock_buckets WHERE shop_id = ?", shop.id().value())).isZero();

        assertThat(buckets(shop, variant, "{\"buckets\": 3}").getJsonArray("bucketInventory")).containsExactly(33, 32, 32);
        HttpResponse<String> merged = cell.admin("DELETE", "/admin/v1/variants/" + variant + "/stock-buckets", shop, null);
        assertThat(json(merged).getInteger("buckets")).isZero();
        assertThat(json(merged).getLong("variantRowInventory")).isEqualTo(97);
    }

    @Test
    void a_variant_selling_past_the_auto_split_rate_is_split_without_the_merchant_and_merged_back_once_the_sale_is_over() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "HOT-1", 100, 500);
        List<String> carts = new ArrayList<>();
        for (int i = 0; i < 3 * AUTO_SPLIT_RATE; i++) {
            carts.add(cell.cart(shop, variant, 1));
        }

        List<CompletableFuture<HttpResponse<String>>> checkouts = new ArrayList<>();
        for (int i = 0; i < carts.size(); i++) {
            checkouts.add(cell.checkoutAsync(shop, carts.get(i), "hot" + i + "@example.com", "hot-" + i));
        }
        List<Integer> buckets = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            buckets.add(stock(shop, variant).getInteger("buckets"));
            return buckets.contains(8);
        });

        assertThat(checkouts.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)).containsOnly(201);
        assertThat(stock(shop, variant).getLong("inventory")).isEqualTo(500 - carts.size());
        await().atMost(Duration.ofSeconds(20)).until(() -> stock(shop, variant).getInteger("buckets") == 0);
        assertThat(stock(shop, variant).getLong("variantRowInventory")).as("merged back whole").isEqualTo(500 - carts.size());
    }

    @Test
    void a_bucket_count_out_of_range_is_a_400_and_an_unknown_variant_a_404() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "BAD-1", 100, 5);

        HttpResponse<String> zero = cell.admin("PUT", "/admin/v1/variants/" + variant + "/stock-buckets", shop, "{\"buckets\": 0}");
        HttpResponse<String> many = cell.admin("PUT", "/admin/v1/variants/" + variant + "/stock-buckets", shop, "{\"buckets\": 65}");
        HttpResponse<String> unknown = cell.admin("PUT", "/admin/v1/variants/12345/stock-buckets", shop, "{\"buckets\": 2}");

        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(json(zero).getString("detail")).contains("buckets must be between 1 and 64");
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private static JsonObject buckets(RunningCell.Shop shop, String variant, String body) {
        HttpResponse<String> put = cell.admin("PUT", "/admin/v1/variants/" + variant + "/stock-buckets", shop, body);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return json(put);
    }

    private static JsonObject stock(RunningCell.Shop shop, String variant) {
        HttpResponse<String> got = cell.admin("GET", "/admin/v1/variants/" + variant + "/stock-buckets", shop, null);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        return json(got);
    }

    /** The storefront's variant, read through the product cache. */
    private static JsonObject product(RunningCell.Shop shop, String variant) {
        HttpResponse<String> products = cell.send("GET", "/api/v1/products", shop, null);
        return json(products).getJsonArray("products").stream().map(p -> ((JsonObject) p).getJsonArray("variants").getJsonObject(0))
                .filter(v -> v.getString("id").equals(variant)).findFirst().orElseThrow();
    }

    /**
     * Reads the figure while the sale runs, two ways: the admin API's (never below 0, never up:
     * nothing restocks during the sale) and, in one SQL statement, figure + units ordered, which must
     * stay the 1,000 the sale began with at every instant.
     */
    private static final class Sampler implements Runnable {
        final List<String> failures = new CopyOnWriteArrayList<>();
        volatile int samples;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final RunningCell.Shop shop;
        private final String variant;

        Sampler(RunningCell.Shop shop, String variant) {
            this.shop = shop;
            this.variant = variant;
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            long last = Long.MAX_VALUE;
            while (running.get()) {
                try {
                    long figure = stock(shop, variant).getLong("inventory");
                    if (figure < 0 || figure > last) {
                        failures.add("figure " + figure + " after " + last);
                    }
                    last = figure;
                    long whole = cell.queryLong("SELECT (SELECT inventory + COALESCE((SELECT SUM(b.inventory) FROM variant_stock_buckets b"
                            + " WHERE b.shop_id = v.shop_id AND b.variant_id = v.id), 0) FROM variants v WHERE v.shop_id = ? AND v.id = ?)"
                            + " + (SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE shop_id = ?)", shop.id().value(), Long.parseLong(variant),
                            shop.id().value());
                    if (whole != 1000) {
                        failures.add("figure + units ordered = " + whole);
                    }
                    samples++;
                } catch (Exception | AssertionError e) {
                    failures.add(e.toString());
                }
            }
        }
    }
}
