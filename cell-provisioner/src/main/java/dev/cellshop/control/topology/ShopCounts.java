package dev.cellshop.control.topology;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.topology.TopologyPaths;
import java.io.Closeable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many shops each cell holds (and each shop's placement), kept current by a {@link CuratorCache} on
 * {@code /cellshop/shops} so a placement decision is a map read, not a scan of ZooKeeper.
 *
 * <p>Connection states: the cache keeps its last view while SUSPENDED or LOST and
 * resynchronises on RECONNECTED (Curator does it); counts may lag meanwhile, which only
 * makes placement less even, never wrong, because shop creation itself writes to ZooKeeper
 * and fails while it is unreachable.
 */
public final class ShopCounts implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ShopCounts.class);

    private final CuratorCache cache;
    private final TopologyPaths paths;
    private final String shopsPath;
    private final Map<CellId, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final CountDownLatch initialized = new CountDownLatch(1);

    public ShopCounts(CuratorFramework curator, TopologyPaths paths) {
        this.paths = paths;
        this.shopsPath = paths.shops();
        this.cache = CuratorCache.build(curator, shopsPath);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(node -> add(node, 1))
                .forChanges((before, after) -> {
                    add(before, -1);
                    add(after, 1);
                })
                .forDeletes(node -> add(node, -1))
                .forInitialized(initialized::countDown)
                .build());
    }

    /** Starts the cache and waits (blocking) until the existing placements are counted. */
    public void start(long timeoutMs) throws InterruptedException {
        CacheStart.startAndAwait(cache, initialized, timeoutMs, "the shop placements");
    }

    public int shopsOn(CellId cell) {
        AtomicInteger count = counts.get(cell);
        return count == null ? 0 : count.get();
    }

    /** Every shop's placement as the cache holds it: as current as the counts, without reading ZooKeeper. */
    public Map<ShopId, Placement> placements() {
        Map<ShopId, Placement> all = new HashMap<>();
        cache.stream().filter(node -> !node.getPath().equals(shopsPath) && node.getData() != null && node.getData().length > 0)
                .forEach(node -> {
                    try {
                        all.put(paths.shopIdFromPath(node.getPath()), Json.read(node.getData(), Placement.class));
                    } catch (RuntimeException e) {
                        LOG.warn("event=placement_unreadable node={} error=\"{}\"", node.getPath(), e.getMessage());
                    }
                });
        return all;
    }

    private void add(ChildData node, int delta) {
        if (node.getPath().equals(shopsPath) || node.getData() == null || node.getData().length == 0) {
            return;
        }
        try {
            CellId cell = Json.read(node.getData(), Placement.class).cellId();
            counts.computeIfAbsent(cell, c -> new AtomicInteger()).addAndGet(delta);
        } catch (RuntimeException e) {
            LOG.warn("event=placement_unreadable node={} error=\"{}\"", node.getPath(), e.getMessage());
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
