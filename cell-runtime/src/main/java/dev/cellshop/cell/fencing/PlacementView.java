package dev.cellshop.cell.fencing;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.topology.TopologyPaths;
import java.io.Closeable;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This cell's in-memory copy of every shop placement, kept current by a {@link CuratorCache}
 * on {@code shops/}, and the fencing decision made from it on every request.
 *
 * <p>{@link #decide} only reads a map, so it is safe on an event loop. On SUSPENDED and LOST
 * the view is kept as it was and keeps answering (static stability); the cache re-reads
 * everything once the connection is back. See the package documentation for why that is safe.
 */
public final class PlacementView implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PlacementView.class);

    private final CuratorFramework curator;
    private final TopologyPaths paths;
    private final CellId thisCell;
    private final Map<ShopId, Placement> placements = new ConcurrentHashMap<>();
    private final Map<ShopId, Set<EpochWaiter>> waiters = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final ConnectionStateListener stateListener = this::onStateChange;
    private final CuratorCache cache;
    private volatile boolean connected;
    private volatile long lastUpdateMillis;

    public PlacementView(CuratorFramework curator, TopologyPaths paths, CellId thisCell) {
        this.curator = Objects.requireNonNull(curator, "curator");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.thisCell = Objects.requireNonNull(thisCell, "thisCell");
        this.cache = CuratorCache.build(curator, paths.shops());
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> apply(after))
                .forDeletes(this::remove)
                .forInitialized(this::initialized)
                .build());
    }

    /** Starts watching; returns at once. {@link #ready()} completes when every existing placement is loaded. */
    public void start() {
        curator.getConnectionStateListenable().addListener(stateListener);
        connected = curator.getZookeeperClient().isConnected();
        cache.start();
    }

    /** Completes once the initial load is done; until then this cell must not report ready. */
    public CompletableFuture<Void> ready() {
        return ready.copy(); // a copy, so no caller can complete ours
    }

    public Decision decide(ShopId shop, long epochFromRouter) {
        Placement placement = placements.get(shop);
        if (placement == null) {
            return new Decision.Misdirected("shop " + shop + " has no placement");
        }
        if (placement.servesOn(thisCell, epochFromRouter)) {
            return new Decision.Serve(placement);
        }
        // Only the explanation from here on; the rule itself is Placement.servesOn.
        if (!placement.cellId().equals(thisCell)) {
            return new Decision.Misdirected("shop " + shop + " is placed on " + placement.cellId());
        }
        if (placement.state() == PlacementState.FROZEN) {
            return new Decision.Misdirected("shop " + shop + " is FROZEN (move in progress)");
        }
        if (epochFromRouter < placement.epoch()) {
            return new Decision.Misdirected("epoch " + epochFromRouter + " is stale: placement is at epoch " + placement.epoch());
        }
        return new Decision.Misdirected("epoch " + epochFromRouter + " is ahead of this cell's view: placement is at epoch "
                + placement.epoch());
    }

    /** The placement this view holds for the shop, or null when it has none. */
    public Placement placement(ShopId shop) {
        return placements.get(shop);
    }

    /** Whether the router has seen a newer placement of the shop than this view has (its signed epoch is ahead). */
    public boolean behind(ShopId shop, long routedEpoch) {
        Placement placement = placements.get(shop);
        return placement == null || placement.epoch() < routedEpoch;
    }

    /**
     * Completes once this view holds the shop's placement at {@code epoch} or later. Right
     * after a cutover the router may route to this cell before this cell's own watch has
     * fired; waiting a moment then beats a 421 the router may not be allowed to retry. The
     * caller bounds the wait (e.g. {@link CompletableFuture#orTimeout}).
     */
    public CompletableFuture<Void> caughtUp(ShopId shop, long epoch) {
        EpochWaiter waiter = new EpochWaiter(epoch, new CompletableFuture<>());
        waiters.compute(shop, (s, set) -> {
            Set<EpochWaiter> all = set != null ? set : ConcurrentHashMap.newKeySet();
            all.add(waiter);
            return all;
        });
        waiter.done().whenComplete((v, e) -> waiters.computeIfPresent(shop, (s, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        }));
        if (!behind(shop, epoch)) {
            waiter.done().complete(null); // it arrived while we registered
        }
        return waiter.done();
    }

    private record EpochWaiter(long epoch, CompletableFuture<Void> done) {
    }

    private void wakeWaiters(ShopId shop, Placement placement) {
        Set<EpochWaiter> set = waiters.get(shop);
        if (set != null) {
            set.stream().filter(w -> w.epoch() <= placement.epoch()).forEach(w -> w.done().complete(null));
        }
    }

    /** False while the ZooKeeper connection is SUSPENDED or LOST: answers then come from the last view. */
    public boolean connected() {
        return connected;
    }

    /** Wall-clock time of the last placement change applied (or of the initial load); 0 before either. */
    public long lastUpdateMillis() {
        return lastUpdateMillis;
    }

    /** How many shops the view holds, for metrics. */
    public int size() {
        return placements.size();
    }

    @Override
    public void close() {
        curator.getConnectionStateListenable().removeListener(stateListener);
        cache.close();
    }

    private void apply(ChildData node) {
        ShopId shop = shopOf(node);
        if (shop == null) {
            return;
        }
        try {
            Placement placement = Json.read(node.getData(), Placement.class);
            placements.put(shop, placement);
            wakeWaiters(shop, placement);
        } catch (IllegalArgumentException e) {
            // Fail closed: a placement we cannot read cannot prove the shop is ours.
            placements.remove(shop);
            LOG.error("event=placement_unreadable node={} error=\"{}\"", node.getPath(), e.getMessage());
        }
        lastUpdateMillis = System.currentTimeMillis();
    }

    private void remove(ChildData node) {
        ShopId shop = shopOf(node);
        if (shop != null) {
            placements.remove(shop);
            lastUpdateMillis = System.currentTimeMillis();
        }
    }

    private void initialized() {
        lastUpdateMillis = System.currentTimeMillis();
        LOG.info("event=placement_view_ready cell={} shops={}", thisCell, placements.size());
        ready.complete(null);
    }

    /** The shop of a direct child of {@code shops/}; null for the parent itself or any stray node. */
    private ShopId shopOf(ChildData node) {
        String path = node.getPath();
        if (path.length() <= paths.shops().length() + 1) {
            return null;
        }
        try {
            return paths.shopIdFromPath(path);
        } catch (IllegalArgumentException notAShop) {
            LOG.warn("event=placement_node_ignored node={} error=\"{}\"", path, notAShop.getMessage());
            return null;
        }
    }

    private void onStateChange(CuratorFramework client, ConnectionState state) {
        boolean nowConnected = state.isConnected();
        if (nowConnected == connected) {
            return;
        }
        connected = nowConnected;
        if (nowConnected) {
            LOG.info("event=placement_view_connected state={} shops={}", state, placements.size());
        } else {
            LOG.warn("event=placement_view_stale state={} shops={} lastUpdateMillis={} note=\"serving from the last placements seen\"",
                    state, placements.size(), lastUpdateMillis);
        }
    }
}
