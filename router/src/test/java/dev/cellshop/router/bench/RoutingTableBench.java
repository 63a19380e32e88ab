package dev.cellshop.router.bench;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.router.topology.ShopDirectory;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The router's request-path lookups on a table of a million shops: a shop's placement by
 * its id (the X-Shop-Id path) and by its domain (the Host path: domain, then placement),
 * for random shops, so caches do not flatter the figure. {@link #main} also measures the
 * table's heap footprint.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g", "-XX:+UseParallelGC"})
public class RoutingTableBench {

    @Param("1000000")
    int shops;

    private ShopDirectory directory;
    private ShopId[] ids;
    private String[] domains;

    @Setup
    public void fill() {
        directory = RoutingTables.filled(shops);
        ids = new ShopId[4096];
        domains = new String[4096];
        for (int i = 0; i < ids.length; i++) {
            int n = 1 + ThreadLocalRandom.current().nextInt(shops);
            ids[i] = RoutingTables.shop(n);
            domains[i] = RoutingTables.domain(n);
        }
    }

    @Benchmark
    public Placement placementById() {
        return directory.placement(ids[ThreadLocalRandom.current().nextInt(ids.length)]);
    }

    @Benchmark
    public Placement placementByDomain() {
        return directory.placement(directory.shopOfDomain(domains[ThreadLocalRandom.current().nextInt(domains.length)]));
    }

    /** {@code [shops]}: prints the heap the table takes, then runs the lookups under JMH. */
    public static void main(String[] args) throws Exception {
        int shops = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long before = usedHeapAfterGc();
        ShopDirectory table = RoutingTables.filled(shops);
        long after = usedHeapAfterGc();
        System.out.printf("routing table: %,d shops + %,d domains over %d cells: heap %.1f MB (%.0f bytes a shop)%n",
                table.shops(), table.domainCount(), RoutingTables.CELLS, (after - before) / 1e6, (after - before) / (double) shops);
        new Runner(new OptionsBuilder().include(RoutingTableBench.class.getSimpleName())
                .param("shops", Integer.toString(shops)).build()).run();
        System.out.println(table.shops() > 0 ? "" : "empty"); // keeps the table reachable until here
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // lets the collector finish; a measurement, not a synchronisation
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
