package dev.cellshop.cell.bench;

import dev.cellshop.cell.order.OrderJson;
import dev.cellshop.cell.ShopRows;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.LeasedIdGenerator;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * The load generator of {@code ops/bench/cell}: one cell-runtime instance driven directly (as a
 * router would, with signed requests), next to a raw JDBC loop doing the checkout's transaction.
 * Each mode prints {@code key=value} lines on stdout; the script turns them into its summary.
 *
 * <pre>
 *   setup     state=DIR port=N secret=S out=FILE [variants=1] [inventory=900000000]
 *   checkouts props=FILE [connections=64] [warmup=5] [duration=20] [carts=30000] [pids=runtime:PID,mariadb:PID]
 *   raw       props=FILE [connections=64] [warmup=5] [duration=20] [pids=...]
 *   sign      props=FILE method=GET path=/api/v1/products/ID
 * </pre>
 */
public final class CellBench {

    private static final long EPOCH = 1;

    private CellBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: CellBench setup|checkouts|raw|sign key=value...");
        }
        Map<String, String> opt = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, not " + args[i]);
            }
            opt.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        switch (args[0]) {
            case "setup" -> setup(opt);
            case "checkouts" -> checkouts(opt);
            case "raw" -> raw(opt);
            case "sign" -> sign(opt);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0); // client libraries leave non-daemon threads behind
    }

    // ---------------------------------------------------------------- common

    private static String need(Map<String, String> opt, String key) {
        String v = opt.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing " + key + "=...");
        }
        return v;
    }

    private static int intOpt(Map<String, String> opt, String key, int dflt) {
        return opt.containsKey(key) ? Integer.parseInt(opt.get(key)) : dflt;
    }

    private static PlatformEndpoints platform(String stateDir) throws Exception {
        return Json.mapper().readValue(Path.of(stateDir, "platform.json").toFile(), PlatformEndpoints.class);
    }

    private static Properties load(String file) throws Exception {
        Properties p = new Properties();
        try (InputStream in = new FileInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    private static void out(String key, Object value) {
        System.out.println(key + "=" + value);
    }

    private static void log(String msg) {
        System.err.println("[bench] " + msg);
    }

    /** Latencies in nanoseconds, recorded from any thread; percentiles by sorting (HdrHistogram is not on the classpath). */
    static final class Latencies {
        private final long[] values;
        private final AtomicInteger size = new AtomicInteger();

        Latencies(int capacity) {
            values = new long[capacity];
        }

        void add(long nanos) {
            int i = size.getAndIncrement();
            if (i < values.length) {
                values[i] = nanos;
            }
        }

        int count() {
            return Math.min(size.get(), values.length);
        }

        /** p in [0,100]; milliseconds. */
        double[] percentilesMs(double... ps) {
            long[] sorted = Arrays.copyOf(values, count());
            Arrays.sort(sorted);
            double[] r = new double[ps.length];
            for (int i = 0; i < ps.length; i++) {
                if (sorted.length == 0) {
                    r[i] = Double.NaN;
                    continue;
                }
                int idx = (int) Math.ceil(ps[i] / 100.0 * sorted.length) - 1;
                r[i] = sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
            }
            return r;
        }
    }

    private static void report(String prefix, Latencies lat, long ok, double seconds, long errors) {
        double[] p = lat.percentilesMs(50, 90, 99, 99.9, 100);
        out(prefix + ".count", ok);
        out(prefix + ".errors", errors);
        out(prefix + ".seconds", String.format(Locale.ROOT, "%.1f", seconds));
        out(prefix + ".rate", String.format(Locale.ROOT, "%.0f", ok / seconds));
        out(prefix + ".p50_ms", String.format(Locale.ROOT, "%.2f", p[0]));
        out(prefix + ".p90_ms", String.format(Locale.ROOT, "%.2f", p[1]));
        out(prefix + ".p99_ms", String.format(Locale.ROOT, "%.2f", p[2]));
        out(prefix + ".p999_ms", String.format(Locale.ROOT, "%.2f", p[3]));
        out(prefix + ".max_ms", String.format(Locale.ROOT, "%.2f", p[4]));
    }

    /** Waits until the relay has published the shop's outbox, so one phase does not pay for another's events. */
    private static void awaitOutboxDrained(PlatformEndpoints.Mysql mysql, long shop) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        try (Connection c = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE shop_id = ?")) {
            s.setLong(1, shop);
            long left;
            do {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    left = rs.getLong(1);
                }
                if (left > 0) {
                    Thread.sleep(250);
                }
            } while (left > 0 && System.currentTimeMillis() < deadline);
            if (left > 0) {
                log("outbox still holds " + left + " events after 60 s; going on");
            }
        }
    }

    /**
     * CPU time of other processes over the measured window ({@code pids=runtime:123,mariadb:456}),
     * from /proc/PID/stat (utime + stime, in clock ticks of 100 Hz): cores used = seconds of CPU per second.
     */
    static final class CpuWatch {
        private final Map<String, Long> pids = new java.util.LinkedHashMap<>();
        private final Map<String, Long> start = new HashMap<>();
        private long startNanos;

        CpuWatch(String spec) {
            if (spec != null && !spec.isBlank()) {
                for (String part : spec.split(",")) {
                    String[] kv = part.split(":");
                    if (kv.length == 2 && !kv[1].isBlank()) {
                        pids.put(kv[0], Long.parseLong(kv[1].trim()));
                    }
                }
            }
            pids.put("loadgen", ProcessHandle.current().pid());
        }

        private static long ticks(long pid) {
            try {
                String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
            } catch (Exception e) {
                return -1;
            }
        }

        void begin() {
            startNanos = System.nanoTime();
            pids.forEach((name, pid) -> start.put(name, ticks(pid)));
        }

        void report(String prefix) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            pids.forEach((name, pid) -> {
                long t0 = start.getOrDefault(name, -1L);
                long t1 = ticks(pid);
                if (t0 >= 0 && t1 >= 0 && seconds > 0) {
                    out(prefix + ".cpu_" + name, String.format(Locale.ROOT, "%.2f", (t1 - t0) / 100.0 / seconds));
                }
            });
        }
    }

    /** Runs {@code action} at the given System.nanoTime() instant, on a daemon thread. */
    private static void at(long nanos, Runnable action) {
        Thread t = new Thread(() -> {
            long wait;
            while ((wait = nanos - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            action.run();
        }, "bench-timer");
        t.setDaemon(true);
        t.start();
    }

    // ---------------------------------------------------------------- HTTP client of the runtime

    record Resp(int status, String body) {
    }

    static final class Cell implements AutoCloseable {
        final Vertx vertx = Vertx.vertx();
        final HttpClientAgent client;
        final RequestSignature signature;
        final ShopId shop;
        final String shopHeader;
        final String adminToken;

        Cell(int port, int connections, String secret, ShopId shop, String adminToken) {
            this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                    .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(connections));
            this.signature = new RequestSignature(secret.getBytes(StandardCharsets.UTF_8));
            this.shop = shop;
            this.shopHeader = Long.toString(shop.value());
            this.adminToken = adminToken;
        }

        Future<Resp> call(HttpMethod method, String path, String body, String... headers) {
            long now = System.currentTimeMillis();
            RequestOptions ro = new RequestOptions().setMethod(method).setURI(path)
                    .putHeader("Content-Type", "application/json")
                    .putHeader(RequestSignature.SHOP_ID_HEADER, shopHeader)
                    .putHeader(RequestSignature.EPOCH_HEADER, Long.toString(EPOCH))
                    .putHeader(RequestSignature.TIMESTAMP_HEADER, Long.toString(now))
                    .putHeader(RequestSignature.SIGNATURE_HEADER, signature.sign(shop, EPOCH, now, method.name(), path));
            for (int i = 0; i < headers.length; i += 2) {
                ro.putHeader(headers[i], headers[i + 1]);
            }
            return client.request(ro)
                    .compose(req -> body == null ? req.send() : req.send(body))
                    .compose(resp -> resp.body().map(b -> new Resp(resp.statusCode(), b.toString())));
        }

        Resp await(Future<Resp> f) throws Exception {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }

        /** A cart holding one unit of the variant: POST /carts, then POST /carts/{token}/items. */
        Future<String> cart(String variant) {
            return call(HttpMethod.POST, "/api/v1/carts", null).compose(r -> {
                if (r.status() != 201 && r.status() != 200) {
                    return Future.failedFuture("cart create: " + r.status() + " " + r.body());
                }
                String token = new JsonObject(r.body()).getString("cartToken");
                return call(HttpMethod.POST, "/api/v1/carts/" + token + "/items", "{\"variantId\": \"" + variant + "\", \"quantity\": 1}")
                        .compose(a -> a.status() / 100 == 2 ? Future.succeededFuture(token)
                                : Future.failedFuture("cart add: " + a.status() + " " + a.body()));
            });
        }

        @Override
        public void close() throws Exception {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- setup

    /** What the control plane does when it places a shop on cell-a, then a product through the admin API. */
    private static void setup(Map<String, String> opt) throws Exception {
        PlatformEndpoints platform = platform(need(opt, "state"));
        PlatformEndpoints.Mysql mysql = platform.cell("cell-a").mysql();
        int port = Integer.parseInt(need(opt, "port"));
        String secret = need(opt, "secret");
        int variants = intOpt(opt, "variants", 1);
        long inventory = Long.parseLong(opt.getOrDefault("inventory", "900000000"));

        ShopId shop = ShopId.of(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
        String token = ShopRows.insert(mysql, shop, "bench");
        try (CuratorFramework curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5))) {
            curator.start();
            curator.create().creatingParentContainersIfNeeded()
                    .forPath(TopologyPaths.DEFAULT.shop(shop), Json.writeBytes(Placement.initial(CellId.of("cell-a"))));
        }
        try (Cell cell = new Cell(port, 4, secret, shop, token)) {
            long deadline = System.currentTimeMillis() + 30_000;
            Resp r;
            do { // the runtime learns the placement through its ZooKeeper watch
                r = cell.await(cell.call(HttpMethod.GET, "/api/v1/products", null));
                if (r.status() != 200) {
                    Thread.sleep(100);
                }
            } while (r.status() != 200 && System.currentTimeMillis() < deadline);
            if (r.status() != 200) {
                throw new IllegalStateException("the runtime does not serve the bench shop: " + r.status() + " " + r.body());
            }
            JsonArray vs = new JsonArray();
            for (int i = 0; i < variants; i++) {
                vs.add(new JsonObject().put("sku", "BENCH-" + i)
                        .put("price", new JsonObject().put("amount", 1999).put("currency", "EUR")).put("inventory", inventory));
            }
            Resp created = cell.await(cell.call(HttpMethod.POST, "/admin/v1/products",
                    new JsonObject().put("title", "Bench product").put("variants", vs).encode(), "Authorization", "Bearer " + token));
            if (created.status() != 201) {
                throw new IllegalStateException("creating the bench product: " + created.status() + " " + created.body());
            }
            JsonObject product = new JsonObject(created.body());
            StringBuilder ids = new StringBuilder();
            product.getJsonArray("variants").forEach(v -> ids.append(ids.isEmpty() ? "" : ",").append(((JsonObject) v).getString("id")));
            Properties p = new Properties();
            p.setProperty("state", need(opt, "state"));
            p.setProperty("port", Integer.toString(port));
            p.setProperty("secret", secret);
            p.setProperty("shopId", Long.toString(shop.value()));
            p.setProperty("adminToken", token);
            p.setProperty("productId", product.getString("id"));
            p.setProperty("variantIds", ids.toString());
            try (OutputStream o = new FileOutputStream(need(opt, "out"))) {
                p.store(o, "ops/bench/cell");
            }
            out("shop", shop.value());
            out("product", product.getString("id"));
            out("variants", ids);
        }
    }

    // ---------------------------------------------------------------- checkouts against the runtime

    private static void checkouts(Map<String, String> opt) throws Exception {
        Properties p = load(need(opt, "props"));
        PlatformEndpoints platform = platform(p.getProperty("state"));
        int connections = intOpt(opt, "connections", 64);
        int warmup = intOpt(opt, "warmup", 5);
        int duration = intOpt(opt, "duration", 20);
        int cartCount = intOpt(opt, "carts", 30_000);
        String[] variants = p.getProperty("variantIds").split(",");
        ShopId shop = ShopId.of(Long.parseLong(p.getProperty("shopId")));
        awaitOutboxDrained(platform.cell("cell-a").mysql(), shop.value());

        try (Cell cell = new Cell(Integer.parseInt(p.getProperty("port")), connections, p.getProperty("secret"), shop, p.getProperty("adminToken"))) {
            // 1. Carts, made ahead so the timed phase is checkouts only (a client that runs out makes one inline, untimed).
            ConcurrentLinkedQueue<String> carts = new ConcurrentLinkedQueue<>();
            AtomicInteger made = new AtomicInteger();
            AtomicLong cartErrors = new AtomicLong();
            long t0 = System.nanoTime();
            CountDownLatch makers = new CountDownLatch(connections);
            for (int c = 0; c < connections; c++) {
                makeCarts(cell, variants, carts, made, cartCount, cartErrors, makers);
            }
            if (!makers.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("making carts took over 10 minutes");
            }
            double cartSeconds = (System.nanoTime() - t0) / 1e9;
            out("carts.count", carts.size());
            out("carts.errors", cartErrors.get());
            out("carts.rate", String.format(Locale.ROOT, "%.0f", carts.size() / cartSeconds)); // two requests per cart
            log(String.format(Locale.ROOT, "%d carts ready in %.1f s; checking out for %d s (+%d s warm-up) on %d connections",
                    carts.size(), cartSeconds, duration, warmup, connections));

            // 2. Checkouts: a closed loop per connection for warmup + duration seconds; only the last `duration` count.
            Latencies lat = new Latencies(4_000_000);
            LongAdder ok = new LongAdder();
            LongAdder inline = new LongAdder();
            Map<String, LongAdder> failures = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(duration);
            AtomicLong seq = new AtomicLong();
            String runId = Long.toString(System.currentTimeMillis(), 36);
            CountDownLatch done = new CountDownLatch(connections);
            CpuWatch cpu = new CpuWatch(opt.get("pids"));
            at(measureFrom, cpu::begin);
            at(end, () -> cpu.report("checkout"));
            for (int c = 0; c < connections; c++) {
                checkoutLoop(cell, variants, carts, runId, seq, measureFrom, end, lat, ok, inline, failures, done);
            }
            if (!done.await(duration + warmup + 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("checkout clients did not finish");
            }
            report("checkout", lat, ok.sum(), duration, failures.values().stream().mapToLong(LongAdder::sum).sum());
            out("checkout.inline_carts", inline.sum());
            failures.forEach((k, v) -> out("checkout.failure." + k, v.sum()));
        }
    }

    private static void makeCarts(Cell cell, String[] variants, ConcurrentLinkedQueue<String> carts, AtomicInteger made,
                                  int target, AtomicLong errors, CountDownLatch done) {
        int n = made.getAndIncrement();
        if (n >= target) {
            done.countDown();
            return;
        }
        cell.cart(variants[n % variants.length]).onComplete(r -> {
            if (r.succeeded()) {
                carts.add(r.result());
            } else if (errors.incrementAndGet() < 5) {
                log("cart: " + r.cause().getMessage());
            }
            makeCarts(cell, variants, carts, made, target, errors, done);
        });
    }

    private static void checkoutLoop(Cell cell, String[] variants, ConcurrentLinkedQueue<String> carts, String runId, AtomicLong seq,
                                     long measureFrom, long end, Latencies lat, LongAdder ok, LongAdder inline,
                                     Map<String, LongAdder> failures, CountDownLatch done) {
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
            checkoutLoop(cell, variants, carts, runId, seq, measureFrom, end, lat, ok, inline, failures, done);
        });
    }

    // ---------------------------------------------------------------- the raw JDBC loop

    /**
     * The checkout's transaction without the service around it, one Connector/J connection per
     * client thread, in CheckoutService's statement order: claim the idempotency key, read the price,
     * write the order, its line and its outbox event, store the response, decrement conditionally, commit.
     */
    private static void raw(Map<String, String> opt) throws Exception {
        Properties p = load(need(opt, "props"));
        PlatformEndpoints platform = platform(p.getProperty("state"));
        PlatformEndpoints.Mysql mysql = platform.cell("cell-a").mysql();
        int connections = intOpt(opt, "connections", 64);
        int warmup = intOpt(opt, "warmup", 5);
        int duration = intOpt(opt, "duration", 20);
        long[] variants = Arrays.stream(p.getProperty("variantIds").split(",")).mapToLong(Long::parseLong).toArray();
        long shop = Long.parseLong(p.getProperty("shopId"));
        awaitOutboxDrained(mysql, shop);

        try (CuratorFramework curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5))) {
            curator.start();
            try (LeasedIdGenerator ids = LeasedIdGenerator.start(curator, TopologyPaths.DEFAULT)) {
                Latencies lat = new Latencies(4_000_000);
                LongAdder ok = new LongAdder();
                LongAdder errors = new LongAdder();
                AtomicLong seq = new AtomicLong();
                String runId = Long.toString(System.currentTimeMillis(), 36);
                String url = mysql.jdbcUrl(); // useServerPrepStmts=false&rewriteBatchedStatements=true
                log("raw JDBC loop for " + duration + " s (+" + warmup + " s warm-up) on " + connections + " connections: " + url);
                Thread[] threads = new Thread[connections];
                long start = System.nanoTime();
                long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
                long end = measureFrom + TimeUnit.SECONDS.toNanos(duration);
                CpuWatch cpu = new CpuWatch(opt.get("pids"));
                at(measureFrom, cpu::begin);
                at(end, () -> cpu.report("raw"));
                for (int t = 0; t < connections; t++) {
                    threads[t] = new Thread(() -> {
                        try (Connection c = DriverManager.getConnection(url, mysql.user(), mysql.password())) {
                            rawLoop(c, shop, variants, ids, runId, seq, measureFrom, end, lat, ok, errors);
                        } catch (SQLException e) {
                            log("raw connection: " + e.getMessage());
                            errors.increment();
                        }
                    }, "raw-" + t);
                    threads[t].start();
                }
                for (Thread t : threads) {
                    t.join();
                }
                report("raw", lat, ok.sum(), duration, errors.sum());
            }
        }
    }

    private static void rawLoop(Connection c, long shop, long[] variants, LeasedIdGenerator ids, String runId, AtomicLong seq,
                                long measureFrom, long end, Latencies lat, LongAdder ok, LongAdder errors) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement claim = c.prepareStatement("INSERT INTO idempotency_keys (shop_id, idem_key, request_sha256, response_status, response_body) VALUES (?, ?, ?, 0, '')");
             PreparedStatement price = c.prepareStatement("SELECT id, sku, price_amount, currency, inventory FROM variants WHERE shop_id = ? AND id IN (?)");
             PreparedStatement reserve = c.prepareStatement("UPDATE variants SET inventory = inventory - ? WHERE shop_id = ? AND id = ? AND inventory >= ?");
             PreparedStatement order = c.prepareStatement("INSERT INTO orders (shop_id, id, email, status, total_amount, currency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement line = c.prepareStatement("INSERT INTO order_lines (shop_id, order_id, line_no, variant_id, sku, quantity, unit_amount) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement outbox = c.prepareStatement("INSERT INTO outbox (shop_id, id, event_type, payload) VALUES (?, ?, ?, ?)");
             PreparedStatement respond = c.prepareStatement("UPDATE idempotency_keys SET response_status = 201, response_body = ? WHERE shop_id = ? AND idem_key = ?")) {
            MessageDigest sha = sha256();
            while (System.nanoTime() < end) {
                long n = seq.getAndIncrement();
                long variant = variants[(int) (n % variants.length)];
                String key = "raw-" + runId + "-" + n;
                String email = "buyer" + n + "@example.com";
                long t0 = System.nanoTime();
                try {
                    claim.setLong(1, shop);
                    claim.setString(2, key);
                    claim.setBytes(3, sha.digest(("cart-" + n + "\n" + email).getBytes(StandardCharsets.UTF_8)));
                    claim.executeUpdate();
                    price.setLong(1, shop);
                    price.setLong(2, variant);
                    String sku;
                    long amount;
                    String currency;
                    try (ResultSet rs = price.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("no variant " + variant);
                        }
                        sku = rs.getString("sku");
                        amount = rs.getLong("price_amount");
                        currency = rs.getString("currency");
                        if (rs.getLong("inventory") < 1) {
                            throw new SQLException("sold out");
                        }
                    }
                    long orderId = ids.nextId();
                    LocalDateTime createdAt = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
                    JsonObject body = OrderJson.order(orderId, email, "PENDING", amount, currency, OrderJson.timestamp(createdAt),
                            new JsonArray().add(OrderJson.line(variant, sku, 1, amount, currency)));
                    order.setLong(1, shop);
                    order.setLong(2, orderId);
                    order.setString(3, email);
                    order.setString(4, "PENDING");
                    order.setLong(5, amount);
                    order.setString(6, currency);
                    order.setTimestamp(7, Timestamp.valueOf(createdAt));
                    order.executeUpdate();
                    line.setLong(1, shop);
                    line.setLong(2, orderId);
                    line.setInt(3, 1);
                    line.setLong(4, variant);
                    line.setString(5, sku);
                    line.setInt(6, 1);
                    line.setLong(7, amount);
                    line.addBatch();
                    line.executeBatch();
                    long eventId = ids.nextId();
                    JsonObject event = new JsonObject().put("eventId", Long.toString(eventId)).put("type", "order.created")
                            .put("shopId", Long.toString(shop)).put("orderId", Long.toString(orderId))
                            .put("occurredAt", java.time.Instant.now().toString()).put("order", body);
                    outbox.setLong(1, shop);
                    outbox.setLong(2, eventId);
                    outbox.setString(3, "order.created");
                    outbox.setString(4, event.encode());
                    outbox.executeUpdate();
                    respond.setString(1, body.encode());
                    respond.setLong(2, shop);
                    respond.setString(3, key);
                    respond.executeUpdate();
                    // The conditional decrement last, as CheckoutService does: the hot row's lock is held only until the commit.
                    reserve.setInt(1, 1);
                    reserve.setLong(2, shop);
                    reserve.setLong(3, variant);
                    reserve.setInt(4, 1);
                    if (reserve.executeUpdate() != 1) {
                        throw new SQLException("sold out");
                    }
                    c.commit();
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom && t1 <= end) {
                        ok.increment();
                        lat.add(t1 - t0);
                    }
                } catch (SQLException e) {
                    c.rollback();
                    errors.increment();
                    if (errors.sum() < 5) {
                        log("raw transaction: " + e.getMessage());
                    }
                }
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- a signature for wrk

    /** Prints the headers of one signed request (valid for the runtime's max skew, 30 s by default). */
    private static void sign(Map<String, String> opt) throws Exception {
        Properties p = load(need(opt, "props"));
        ShopId shop = ShopId.of(Long.parseLong(p.getProperty("shopId")));
        long now = System.currentTimeMillis();
        RequestSignature signature = new RequestSignature(p.getProperty("secret").getBytes(StandardCharsets.UTF_8));
        out("shop", shop.value());
        out("epoch", EPOCH);
        out("timestamp", now);
        out("signature", signature.sign(shop, EPOCH, now, opt.getOrDefault("method", "GET"), need(opt, "path")));
    }
}
