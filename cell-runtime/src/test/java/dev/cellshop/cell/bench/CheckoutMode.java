package dev.cellshop.cell.bench;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code checkouts}: carts made ahead (so the timed phase is checkouts only), then one closed
 * loop of checkouts per connection for warm-up + duration; only the last {@code duration} seconds count.
 */
final class CheckoutMode {

    private final SignedCellClient cell;
    private final String[] variants;
    private final ConcurrentLinkedQueue<String> carts = new ConcurrentLinkedQueue<>();
    private final Latencies lat = new Latencies(4_000_000);
    private final LongAdder ok = new LongAdder();
    private final LongAdder inline = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    private CheckoutMode(SignedCellClient cell, String[] variants) {
        this.cell = cell;
        this.variants = variants;
    }

    static void run(BenchOptions opt) throws Exception {
        Properties p = opt.props();
        PlatformEndpoints platform = BenchOptions.platform(p.getProperty("state"));
        int connections = opt.intValue("connections", 64);
        int warmup = opt.intValue("warmup", 5);
        int duration = opt.intValue("duration", 20);
        int cartCount = opt.intValue("carts", 30_000);
        ShopId shop = ShopId.of(Long.parseLong(p.getProperty("shopId")));
        OutboxDrain.await(platform.cell("cell-a").mysql(), shop.value());

        // port= another runtime instance of the same cell (an A/B run); label= the prefix of its figures
        int port = opt.intValue("port", Integer.parseInt(p.getProperty("port")));
        String label = opt.get("label", "checkout");
        try (SignedCellClient cell = new SignedCellClient(port, connections, p.getProperty("secret"), shop)) {
            CheckoutMode mode = new CheckoutMode(cell, p.getProperty("variantIds").split(","));
            mode.makeCarts(connections, cartCount, label);
            Results.log(String.format(Locale.ROOT, "checking out on port %d for %d s (+%d s warm-up) on %d connections", port, duration,
                    warmup, connections));
            mode.checkOut(connections, warmup, duration, opt.get("pids"), label);
        }
    }

    private void makeCarts(int connections, int target, String label) throws Exception {
        AtomicInteger made = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        long t0 = System.nanoTime();
        CountDownLatch makers = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            makeCart(made, target, errors, makers);
        }
        if (!makers.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("making carts took over 10 minutes");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String prefix = label.equals("checkout") ? "carts" : label + ".carts";
        Results.out(prefix + ".count", carts.size());
        Results.out(prefix + ".errors", errors.get());
        Results.out(prefix + ".rate", String.format(Locale.ROOT, "%.0f", carts.size() / seconds)); // two requests per cart
        Results.log(String.format(Locale.ROOT, "%d carts ready in %.1f s", carts.size(), seconds));
    }

    private void makeCart(AtomicInteger made, int target, AtomicLong errors, CountDownLatch done) {
        int n = made.getAndIncrement();
        if (n >= target) {
            done.countDown();
            return;
        }
        cell.cart(variants[n % variants.length]).onComplete(r -> {
            if (r.succeeded()) {
                carts.add(r.result());
            } else if (errors.incrementAndGet() < 5) {
                Results.log("cart: " + r.cause().getMessage());
            }
            makeCart(made, target, errors, done);
        });
    }

    private void checkOut(int connections, int warmup, int duration, String pids, String label) throws Exception {
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(duration);
        CountDownLatch done = new CountDownLatch(connections);
        new CpuWatch(pids).window(measureFrom, end, label);
        for (int c = 0; c < connections; c++) {
            checkoutLoop(measureFrom, end, done);
        }
        if (!done.await(duration + warmup + 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("checkout clients did not finish");
        }
        Results.report(label, lat, ok.sum(), duration, failures.values().stream().mapToLong(LongAdder::sum).sum());
        Results.out(label + ".inline_carts", inline.sum());
        failures.forEach((k, v) -> Results.out(label + ".failure." + k, v.sum()));
    }

    /** One connection's closed loop: the next checkout starts when the last one answered. */
    private void checkoutLoop(long measureFrom, long end, CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        long n = seq.getAndIncrement();
        String ready = carts.poll();
        Future<String> cart;
        if (ready != null) {
            cart = Future.succeededFuture(ready);
        } else {
            inline.increment();
            cart = cell.cart(variants[(int) (n % variants.length)]);
        }
        cart.compose(token -> {
            long t0 = System.nanoTime();
            return cell.call(HttpMethod.POST, "/api/v1/checkouts",
                            "{\"cartToken\": \"" + token + "\", \"email\": \"buyer" + n + "@example.com\"}",
                            "Idempotency-Key", "bench-" + runId + "-" + n)
                    .map(r -> {
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom && t1 <= end) {
                            if (r.status() == 201) {
                                ok.increment();
                                lat.add(t1 - t0);
                            } else {
                                failures.computeIfAbsent("http_" + r.status(), k -> new LongAdder()).increment();
                            }
                        }
                        return r;
                    });
        }).onComplete(r -> {
            if (r.failed()) {
                failures.computeIfAbsent(r.cause().getClass().getSimpleName(), k -> new LongAdder()).increment();
            }
            checkoutLoop(measureFrom, end, done);
        });
    }
}
