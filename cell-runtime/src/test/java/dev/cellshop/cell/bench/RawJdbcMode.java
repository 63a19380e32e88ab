package dev.cellshop.cell.bench;

import dev.cellshop.kernel.id.LeasedIdGenerator;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.PlatformEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * {@code raw}: the checkout's transaction ({@link RawCheckoutTransaction}) in a closed loop on one
 * Connector/J connection per client thread, as many as the runtime had connections: the
 * database's own ceiling, next to which the runtime's figure is a ratio.
 */
final class RawJdbcMode {

    private RawJdbcMode() {
    }

    static void run(BenchOptions opt) throws Exception {
        Properties p = opt.props();
        PlatformEndpoints platform = BenchOptions.platform(p.getProperty("state"));
        PlatformEndpoints.Mysql mysql = platform.cell("cell-a").mysql();
        int connections = opt.intValue("connections", 64);
        int warmup = opt.intValue("warmup", 5);
        int duration = opt.intValue("duration", 20);
        long[] variants = Arrays.stream(p.getProperty("variantIds").split(",")).mapToLong(Long::parseLong).toArray();
        long shop = Long.parseLong(p.getProperty("shopId"));
        OutboxDrain.await(mysql, shop);

        try (CuratorFramework curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5))) {
            curator.start();
            try (LeasedIdGenerator ids = LeasedIdGenerator.start(curator, TopologyPaths.DEFAULT)) {
                Latencies lat = new Latencies(4_000_000);
                LongAdder ok = new LongAdder();
                LongAdder errors = new LongAdder();
                AtomicLong seq = new AtomicLong();
                String runId = Long.toString(System.currentTimeMillis(), 36);
                String url = mysql.jdbcUrl(); // useServerPrepStmts=false&rewriteBatchedStatements=true
                Results.log("raw JDBC loop for " + duration + " s (+" + warmup + " s warm-up) on " + connections + " connections: " + url);
                Thread[] threads = new Thread[connections];
                long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
                long end = measureFrom + TimeUnit.SECONDS.toNanos(duration);
                new CpuWatch(opt.get("pids")).window(measureFrom, end, "raw");
                for (int t = 0; t < connections; t++) {
                    threads[t] = new Thread(() -> {
                        try (Connection c = DriverManager.getConnection(url, mysql.user(), mysql.password());
                             RawCheckoutTransaction checkout = new RawCheckoutTransaction(c, shop, ids)) {
                            while (System.nanoTime() < end) {
                                long n = seq.getAndIncrement();
                                long t0 = System.nanoTime();
                                if (checkout.run(variants[(int) (n % variants.length)], "raw-" + runId + "-" + n, "buyer" + n + "@example.com")) {
                                    long t1 = System.nanoTime();
                                    if (t0 >= measureFrom && t1 <= end) {
                                        ok.increment();
                                        lat.add(t1 - t0);
                                    }
                                } else {
                                    errors.increment();
                                }
                            }
                        } catch (SQLException e) {
                            Results.log("raw connection: " + e.getMessage());
                            errors.increment();
                        }
                    }, "raw-" + t);
                    threads[t].start();
                }
                for (Thread t : threads) {
                    t.join();
                }
                Results.report("raw", lat, ok.sum(), duration, errors.sum());
            }
        }
    }
}
