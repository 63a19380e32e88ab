package dev.cellshop.control.mover.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.control.mover.CellMysql;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.testkit.JsonHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cutover part of ops/bench/move: a live shop moved N times between cell-a and cell-b
 * through the control plane while shoppers keep creating carts and checking out through the
 * router; prints {@code key=value} lines: the pauses (p50, p99, max), failed requests with one
 * {@code failure=} line per request kind, status and cause ({@link FailureTally}), and the
 * latency of the requests that met a cutover (held) against the others.
 *
 * <p>Arguments {@code key=value}: control (host:port), router (host:port), token, moves (20),
 * shoppers (4); rows (0): catalogue rows given to the shop before the moves, written straight
 * into cell-a's shard (mysql host:port, password), so the pause of a large shop is measured.
 */
public final class MovePauseBench {

    /** One request of a shopper; {@code failure} is null for an answer below 300. */
    private record Sample(String request, long startMillis, long endMillis, String failure) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            opt.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String control = "http://" + opt.get("control");
        String router = "http://" + opt.get("router");
        String token = opt.get("token");
        int moves = Integer.parseInt(opt.getOrDefault("moves", "20"));
        int shoppers = Integer.parseInt(opt.getOrDefault("shoppers", "4"));

        JsonNode shop = json(send(control + "/v1/shops", "POST", Json.write(Map.of("name", "pause bench", "domain",
                "pause-" + System.nanoTime() + ".bench.test", "cell", "cell-a")), Map.of("Authorization", "Bearer " + token)));
        String shopId = shop.get("shopId").asText();
        Map<String, String> asShop = Map.of("X-Shop-Id", shopId);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (send(router + "/api/v1/products", "GET", null, asShop).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the router does not route shop " + shopId);
            }
            Thread.sleep(100);
        }
        JsonNode product = json(send(router + "/admin/v1/products", "POST",
                "{\"title\":\"Bench\",\"variants\":[{\"sku\":\"b-1\",\"price\":{\"amount\":100,\"currency\":\"EUR\"},\"inventory\":1000000}]}",
                Map.of("X-Shop-Id", shopId, "Authorization", "Bearer " + shop.get("adminToken").asText())));
        String variant = product.get("variants").get(0).get("id").asText();
        long rows = Long.parseLong(opt.getOrDefault("rows", "0"));
        if (rows > 0) {
            addCatalogue(opt.get("mysql"), opt.get("password"), Long.parseLong(shopId), rows);
        }
        System.out.println("shop=" + shopId);
        System.out.println("shop_rows=" + rows);

        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        AtomicLong keys = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < shoppers; i++) {
            threads.add(Thread.ofPlatform().name("shopper-" + i).start(() -> shop(router, shopId, variant, stop, samples, keys)));
        }
        Thread.sleep(2000); // a baseline before the first move
        List<Long> pauses = new ArrayList<>();
        List<long[]> windows = new ArrayList<>();
        for (int i = 0; i < moves; i++) {
            String target = i % 2 == 0 ? "cell-b" : "cell-a";
            JsonNode started = json(send(control + "/v1/moves", "POST", Json.write(Map.of("shopId", shopId, "targetCell", target)),
                    Map.of("Authorization", "Bearer " + token)));
            String moveId = started.get("moveId").asText();
            JsonNode move;
            do {
                Thread.sleep(50);
                move = json(send(control + "/v1/moves/" + moveId, "GET", null, Map.of("Authorization", "Bearer " + token)));
            } while (!List.of("COMPLETED", "ABORTED").contains(move.get("phase").asText()));
            if (!move.get("phase").asText().equals("COMPLETED")) {
                throw new IllegalStateException("move " + moveId + " aborted: " + move.get("abortReason").asText());
            }
            long pause = move.get("cutover").get("pauseMillis").asLong();
            long frozenAt = Instant.parse(move.get("cutover").get("frozenAt").asText()).toEpochMilli();
            pauses.add(pause);
            windows.add(new long[] {frozenAt, frozenAt + pause});
            System.err.printf(Locale.ROOT, "move %d/%d to %s: pause %d ms%n", i + 1, moves, target, pause);
        }
        Thread.sleep(1000);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }

        List<Long> held = new ArrayList<>();
        List<Long> other = new ArrayList<>();
        FailureTally failures = new FailureTally();
        for (Sample s : samples) {
            boolean overlaps = windows.stream().anyMatch(w -> s.startMillis() < w[1] && s.endMillis() > w[0]);
            (overlaps ? held : other).add(s.endMillis() - s.startMillis());
            if (s.failure() != null) {
                failures.count(s.request(), s.failure(), overlaps);
            }
        }
        System.out.printf(Locale.ROOT, "moves=%d%npause_p50_ms=%d%npause_p99_ms=%d%npause_max_ms=%d%nrequests=%d%nfailed=%d%n",
                moves, pct(pauses, 50), pct(pauses, 99), pct(pauses, 100), samples.size(), failures.total());
        failures.lines().forEach(System.out::println);
        System.out.printf(Locale.ROOT, "held_requests=%d%nheld_p50_ms=%d%nheld_p99_ms=%d%nother_p50_ms=%d%nother_p99_ms=%d%n",
                held.size(), pct(held, 50), pct(held, 99), pct(other, 50), pct(other, 99));
        System.out.println("pauses_ms=" + pauses);
    }

    /** {@code rows} products (ids 1..rows; the API's ids are far larger) made by cell-a's server from its sequence engine. */
    private static void addCatalogue(String mysql, String password, long shop, long rows) throws java.sql.SQLException {
        try (java.sql.Connection c = new CellMysql(mysql.substring(0, mysql.lastIndexOf(':')), Integer.parseInt(mysql.substring(mysql.lastIndexOf(':') + 1)),
                "cellshop", "cellshop", password).connect();
             java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO products (shop_id, id, title) SELECT " + shop + ", seq, CONCAT('bench product ', seq) FROM seq_1_to_"
                    + rows);
        }
        System.err.printf(Locale.ROOT, "shop %d: %d catalogue rows added on cell-a%n", shop, rows);
    }

    private static void shop(String router, String shopId, String variant, AtomicBoolean stop, ConcurrentLinkedQueue<Sample> samples,
                             AtomicLong keys) {
        Map<String, String> asShop = Map.of("X-Shop-Id", shopId);
        while (!stop.get()) {
            HttpResponse<String> cart = timed(samples, "cart", router + "/api/v1/carts", "POST", null, asShop);
            if (cart == null || cart.statusCode() != 201) {
                continue;
            }
            String token = json(cart).get("cartToken").asText();
            HttpResponse<String> item = timed(samples, "item", router + "/api/v1/carts/" + token + "/items", "POST",
                    "{\"variantId\":\"" + variant + "\",\"quantity\":1}", asShop);
            if (item == null || item.statusCode() >= 300) {
                continue; // an empty cart's checkout would fail again for the same cause
            }
            timed(samples, "checkout", router + "/api/v1/checkouts", "POST", "{\"cartToken\":\"" + token + "\",\"email\":\"b@example.com\"}",
                    Map.of("X-Shop-Id", shopId, "Idempotency-Key", "pause-" + keys.incrementAndGet()));
        }
    }

    private static HttpResponse<String> timed(ConcurrentLinkedQueue<Sample> samples, String request, String url, String method,
                                              String body, Map<String, String> headers) {
        long start = System.currentTimeMillis();
        try {
            HttpResponse<String> response = send(url, method, body, headers);
            String failure = response.statusCode() >= 300 ? FailureTally.cause(response) : null;
            samples.add(new Sample(request, start, System.currentTimeMillis(), failure));
            return response;
        } catch (IllegalStateException transportFailure) { // no answer at all: a failed request too
            samples.add(new Sample(request, start, System.currentTimeMillis(), FailureTally.cause(transportFailure)));
            return null;
        }
    }

    private static HttpResponse<String> send(String url, String method, String body, Map<String, String> headers) {
        try {
            return JsonHttp.send(url, method, body, headers);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.read(response.body(), JsonNode.class);
    }

    private static long pct(List<Long> values, int percentile) {
        if (values.isEmpty()) {
            return 0;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
