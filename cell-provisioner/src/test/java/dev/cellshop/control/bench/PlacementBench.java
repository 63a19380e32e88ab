package dev.cellshop.control.bench;

import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.control.cells.CellRegistry;
import dev.cellshop.control.cells.LocalCells;
import dev.cellshop.control.placement.CellChooser;
import dev.cellshop.control.placement.PlacementWeights;
import dev.cellshop.control.placement.Placer;
import dev.cellshop.control.shops.NewShop;
import dev.cellshop.control.shops.ShopCreator;
import dev.cellshop.control.shops.ShopRows;
import dev.cellshop.control.topology.CellCache;
import dev.cellshop.control.topology.ShopCounts;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.LeasedIdGenerator;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.Endpoints;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.router.balance.CellInstances;
import dev.cellshop.router.topology.ShopDirectory;
import dev.cellshop.router.topology.TopologyWatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * ops/bench/placement: N shops placed across C simulated cells (descriptors only, no MySQL
 * rows) against a real ZooKeeper, through the control plane's own {@link ShopCreator}: a
 * leased id, the domain claim, the {@link Placer}'s decision over the cached cells, the chosen
 * cell's version re-read, and the placement + audit entry transaction. Then a router's view
 * ({@link TopologyWatcher} into a {@link ShopDirectory}, the router's own classes) loads the
 * whole topology cold. Prints {@code key=value} lines for the script.
 *
 * <p>Usage: {@code PlacementBench ZOOKEEPER SHOPS CELLS CLIENTS}
 */
public final class PlacementBench {

    public static void main(String[] args) throws Exception {
        String zookeeper = args[0];
        int shops = Integer.parseInt(args[1]);
        int cellCount = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        TopologyPaths paths = new TopologyPaths("/bench-" + System.currentTimeMillis());
        try (CuratorFramework curator = connect(zookeeper)) {
            AuditLog audit = new AuditLog(curator, paths);
            TopologyStore topology = new TopologyStore(curator, paths, audit);
            topology.ensureCreated();
            ShopCounts counts = new ShopCounts(curator, paths);
            counts.start(60_000);
            Placer placer = new Placer(new CellChooser(new PlacementWeights(100, 0)), counts);
            CellRegistry cells = new CellRegistry(topology, placer);
            for (int i = 0; i < cellCount; i++) {
                cells.registerLocalIfAbsent(CellId.of(String.format(Locale.ROOT, "sim-%03d", i)),
                        new Endpoints("10.0." + i / 250 + "." + i % 250 + ":3306", "redis://10.0.0.1:6379", "10.0.0.1:11211"),
                        LocalCells.capacity(2 * shops / cellCount + 10), "bench");
            }
            try (LeasedIdGenerator ids = LeasedIdGenerator.start(curator, paths); CellCache cellCache = new CellCache(curator, paths)) {
                cellCache.start(60_000);
                ShopCreator creator = new ShopCreator(topology, cellCache, placer, NO_ROWS, ids);
                place(creator, shops, clients);
                decide(placer, cellCache, shops);
            }
            counts.close();
            System.out.printf(Locale.ROOT, "zookeeper.nodes.shops=%d%n", curator.getChildren().forPath(paths.shops()).size());
        }
        try (CuratorFramework router = connect(zookeeper)) {
            ShopDirectory directory = new ShopDirectory();
            long start = System.nanoTime();
            try (TopologyWatcher watcher = new TopologyWatcher(router, paths, directory, new CellInstances())) {
                watcher.start();
                watcher.loaded().get(10, TimeUnit.MINUTES);
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf(Locale.ROOT, "router.cold_load_ms=%d%nrouter.shops=%d%nrouter.domains=%d%n", ms,
                        directory.shops(), directory.domainCount());
            }
        }
    }

    /** No MySQL: the bench measures placement and ZooKeeper alone. */
    private static final ShopRows NO_ROWS = new ShopRows() {
        @Override
        public void insertShop(CellDescriptor cell, ShopId shop, NewShop request, String adminToken) {
        }

        @Override
        public void deleteShop(CellDescriptor cell, ShopId shop) {
        }
    };

    /** The control plane's own shop creation, minus the rows, from {@code clients} threads. */
    private static void place(ShopCreator creator, int shops, int clients) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < shops; i = next.getAndIncrement()) {
                    creator.create(new NewShop("Shop " + i, "shop-" + i + ".bench.cellshop.test", null, null), "bench");
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "placement.shops=%d%nplacement.seconds=%.1f%nplacement.shops_per_s=%.0f%n",
                shops, seconds, shops / seconds);
    }

    /** The decision alone (cells from the cache, headroom over all of them), against the counts of the full topology. */
    private static void decide(Placer placer, CellCache cells, int decisions) {
        long start = System.nanoTime();
        for (int i = 0; i < decisions; i++) {
            placer.reserve(cells.cells(), null).close();
        }
        System.out.printf(Locale.ROOT, "placement.decision_us_avg=%.1f%n", (System.nanoTime() - start) / 1e3 / decisions);
    }

    private static CuratorFramework connect(String zookeeper) throws InterruptedException {
        CuratorFramework curator = CuratorFrameworkFactory.builder().connectString(zookeeper).sessionTimeoutMs(30_000)
                .retryPolicy(new ExponentialBackoffRetry(200, 5)).build();
        curator.start();
        if (!curator.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("ZooKeeper " + zookeeper + " is not reachable");
        }
        return curator;
    }
}
