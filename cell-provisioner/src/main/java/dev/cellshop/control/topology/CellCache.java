package dev.cellshop.control.topology;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.topology.TopologyPaths;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cell descriptors, kept current by a {@link CuratorCache} on {@code /cellshop/cells}, so
 * choosing a new shop's cell reads memory instead of every descriptor from ZooKeeper (with
 * 100 cells that was 101 reads and ~90 ms per shop: ops/bench/placement).
 *
 * <p>The view may trail a change (a drain) by milliseconds; ShopCreator therefore re-reads
 * the one chosen cell and writes the placement only if that descriptor is still the version
 * it checked (a ZooKeeper check op in the placement's transaction). Connection states: the
 * cache keeps its last view while SUSPENDED or LOST and Curator resynchronises it on
 * RECONNECTED; placements cannot be written meanwhile anyway.
 */
public final class CellCache implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(CellCache.class);

    private final CuratorCache cache;
    private final String cellsPath;
    private final Map<CellId, CellDescriptor> cells = new ConcurrentHashMap<>();
    private final CountDownLatch initialized = new CountDownLatch(1);

    public CellCache(CuratorFramework curator, TopologyPaths paths) {
        this.cellsPath = paths.cells();
        this.cache = CuratorCache.build(curator, cellsPath);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> put(after))
                .forDeletes(node -> {
                    if (isCellNode(node)) {
                        cells.remove(CellId.of(node.getPath().substring(cellsPath.length() + 1)));
                    }
                })
                .forInitialized(initialized::countDown)
                .build());
    }

    /** Starts the cache and waits (blocking) until the existing descriptors are loaded. */
    public void start(long timeoutMs) throws InterruptedException {
        CacheStart.startAndAwait(cache, initialized, timeoutMs, "the cell descriptors");
    }

    /** Every cell with a descriptor, ordered by id. */
    public List<CellDescriptor> cells() {
        List<CellDescriptor> all = new ArrayList<>(cells.values());
        all.sort((a, b) -> a.cellId().compareTo(b.cellId()));
        return all;
    }

    private void put(ChildData node) {
        if (!isCellNode(node) || node.getData() == null || node.getData().length == 0) {
            return; // the parent, an instance below a cell, or a cell node a runtime made before its descriptor
        }
        try {
            CellDescriptor cell = Json.read(node.getData(), CellDescriptor.class);
            cells.put(cell.cellId(), cell);
        } catch (RuntimeException e) {
            LOG.warn("event=cell_descriptor_unreadable node={} error=\"{}\"", node.getPath(), e.getMessage());
        }
    }

    private boolean isCellNode(ChildData node) {
        String path = node.getPath();
        return path.length() > cellsPath.length() + 1 && path.indexOf('/', cellsPath.length() + 1) < 0;
    }

    @Override
    public void close() {
        cache.close();
    }
}
