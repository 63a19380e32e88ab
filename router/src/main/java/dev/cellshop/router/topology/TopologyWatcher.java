package dev.cellshop.router.topology;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.router.balance.CellInstances;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.cache.CuratorCacheStorage;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the router's {@link ShopDirectory} and {@link CellInstances} equal to ZooKeeper:
 * one {@link CuratorCache} each on {@code shops/}, {@code domains/} and {@code cells/}
 * (instances are the grandchildren of the last).
 *
 * <p>The caches keep no node data (the directory holds the parsed form, a fraction of the
 * size), so a million shops cost the router one compact table, not two. On SUSPENDED and
 * LOST the last view stays and keeps routing (static stability); Curator re-syncs the
 * caches by itself once a session is back.
 */
public final class TopologyWatcher implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyWatcher.class);

    private final CuratorFramework curator;
    private final TopologyPaths paths;
    private final ShopDirectory directory;
    private final CellInstances instances;
    private final Map<CellId, Map<String, InstanceDescriptor>> liveInstances = new ConcurrentHashMap<>();
    private final List<CuratorCache> caches;
    private final CompletableFuture<Void> shopsLoaded = new CompletableFuture<>();
    private final CompletableFuture<Void> domainsLoaded = new CompletableFuture<>();
    private final CompletableFuture<Void> cellsLoaded = new CompletableFuture<>();
    private final ConnectionStateListener stateListener = this::onStateChange;
    private volatile boolean connected;
    private volatile long lastChangeMillis;
    private volatile long disconnectedSinceMillis;

    public TopologyWatcher(CuratorFramework curator, TopologyPaths paths, ShopDirectory directory, CellInstances instances) {
        this.curator = Objects.requireNonNull(curator, "curator");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.instances = Objects.requireNonNull(instances, "instances");
        CuratorCache shops = cache(paths.shops(), CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> applyPlacement(after))
                .forDeletes(this::removePlacement)
                .forInitialized(() -> loaded(shopsLoaded, "shops", directory.shops())).build());
        CuratorCache domains = cache(paths.domains(), CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> applyDomain(after))
                .forDeletes(this::removeDomain)
                .forInitialized(() -> loaded(domainsLoaded, "domains", directory.domainCount())).build());
        CuratorCache cells = cache(paths.cells(), CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> applyInstance(after))
                .forDeletes(this::removeInstance)
                .forInitialized(() -> loaded(cellsLoaded, "cells", liveInstances.size())).build());
        this.caches = List.of(shops, domains, cells);
    }

    /** Starts watching; returns at once. */
    public void start() {
        curator.getConnectionStateListenable().addListener(stateListener);
        connected = curator.getZookeeperClient().isConnected();
        caches.forEach(CuratorCache::start);
    }

    /** Completes once shops, domains and instances have all been loaded once. */
    public CompletableFuture<Void> loaded() {
        return CompletableFuture.allOf(shopsLoaded, domainsLoaded, cellsLoaded);
    }

    public boolean isLoaded() {
        return loaded().isDone();
    }

    public boolean connected() {
        return connected;
    }

    /** Wall-clock millis of the last change applied (or of the initial load). */
    public long lastChangeMillis() {
        return lastChangeMillis;
    }

    /** Since when the session is SUSPENDED or LOST (wall-clock millis), or 0 while connected. */
    public long disconnectedSinceMillis() {
        return disconnectedSinceMillis;
    }

    /**
     * Reads one shop's placement from ZooKeeper now (after a cell answered 421: our view
     * may lag), updating the directory. Completes with the newest placement known, or null.
     */
    public CompletableFuture<Placement> refresh(ShopId shop) {
        CompletableFuture<Placement> result = new CompletableFuture<>();
        try {
            curator.getData().inBackground((client, event) -> {
                if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                    try {
                        directory.putPlacement(shop, Json.read(event.getData(), Placement.class));
                    } catch (IllegalArgumentException unreadable) {
                        LOG.error("event=placement_unreadable shop={} error=\"{}\"", shop, unreadable.getMessage());
                    }
                } else if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    directory.removePlacement(shop);
                }
                result.complete(directory.placement(shop));
            }).forPath(paths.shop(shop));
        } catch (Exception e) {
            result.complete(directory.placement(shop)); // keep routing on what we have
        }
        return result;
    }

    @Override
    public void close() {
        curator.getConnectionStateListenable().removeListener(stateListener);
        caches.forEach(CuratorCache::close);
    }

    private CuratorCache cache(String path, CuratorCacheListener listener) {
        CuratorCache cache = CuratorCache.builder(curator, path).withStorage(CuratorCacheStorage.dataNotCached()).build();
        cache.listenable().addListener(listener);
        return cache;
    }

    private void applyPlacement(ChildData node) {
        ShopId shop = childId(node, paths.shops(), paths::shopIdFromPath);
        if (shop == null) {
            return;
        }
        try {
            directory.putPlacement(shop, Json.read(node.getData(), Placement.class));
        } catch (IllegalArgumentException e) {
            // A placement we cannot read cannot be routed safely: route none rather than a guess.
            directory.removePlacement(shop);
            LOG.error("event=placement_unreadable node={} error=\"{}\"", node.getPath(), e.getMessage());
        }
        lastChangeMillis = System.currentTimeMillis();
    }

    private void removePlacement(ChildData node) {
        ShopId shop = childId(node, paths.shops(), paths::shopIdFromPath);
        if (shop != null) {
            directory.removePlacement(shop);
            lastChangeMillis = System.currentTimeMillis();
        }
    }

    private void applyDomain(ChildData node) {
        String domain = childId(node, paths.domains(), paths::domainFromPath);
        if (domain == null) {
            return;
        }
        try {
            directory.putDomain(domain, ShopId.parse(new String(node.getData(), StandardCharsets.UTF_8).trim()));
        } catch (IllegalArgumentException | NullPointerException e) {
            directory.removeDomain(domain);
            LOG.error("event=domain_unreadable node={} error=\"{}\"", node.getPath(), e.getMessage());
        }
        lastChangeMillis = System.currentTimeMillis();
    }

    private void removeDomain(ChildData node) {
        String domain = childId(node, paths.domains(), paths::domainFromPath);
        if (domain != null) {
            directory.removeDomain(domain);
            lastChangeMillis = System.currentTimeMillis();
        }
    }

    private void applyInstance(ChildData node) {
        CellId cell = instanceCell(node);
        if (cell == null) {
            return;
        }
        try {
            InstanceDescriptor instance = Json.read(node.getData(), InstanceDescriptor.class);
            updateInstances(cell, node.getPath(), instance);
            LOG.info("event=instance_joined cell={} instance={} address={}", cell, instance.instanceId(), instance.address());
        } catch (IllegalArgumentException e) {
            LOG.error("event=instance_unreadable node={} error=\"{}\"", node.getPath(), e.getMessage());
        }
    }

    private void removeInstance(ChildData node) {
        CellId cell = instanceCell(node);
        if (cell != null) {
            updateInstances(cell, node.getPath(), null);
            LOG.info("event=instance_left cell={} node={}", cell, node.getPath());
        }
    }

    private void updateInstances(CellId cell, String path, InstanceDescriptor instance) {
        Map<String, InstanceDescriptor> live = liveInstances.computeIfAbsent(cell, c -> new ConcurrentHashMap<>());
        if (instance == null) {
            live.remove(path);
        } else {
            live.put(path, instance);
        }
        instances.replace(cell, List.copyOf(live.values()));
        lastChangeMillis = System.currentTimeMillis();
    }

    /** The cell of a {@code cells/{cell}/instances/{id}} node; null for any other node under {@code cells/}. */
    private CellId instanceCell(ChildData node) {
        String path = node.getPath();
        if (!path.startsWith(paths.cells() + "/") || !path.contains("/instances/")) {
            return null;
        }
        try {
            CellId cell = paths.cellIdFromPath(path);
            return path.startsWith(paths.instances(cell) + "/") && path.indexOf('/', paths.instances(cell).length() + 1) < 0 ? cell : null;
        } catch (IllegalArgumentException notACell) {
            return null;
        }
    }

    private <T> T childId(ChildData node, String parent, java.util.function.Function<String, T> parse) {
        String path = node.getPath();
        if (path.length() <= parent.length() + 1) {
            return null; // the parent node itself
        }
        try {
            return parse.apply(path);
        } catch (IllegalArgumentException notOurs) {
            LOG.warn("event=topology_node_ignored node={} error=\"{}\"", path, notOurs.getMessage());
            return null;
        }
    }

    private void loaded(CompletableFuture<Void> which, String what, int count) {
        lastChangeMillis = System.currentTimeMillis();
        LOG.info("event=topology_loaded part={} count={}", what, count);
        which.complete(null);
    }

    private void onStateChange(CuratorFramework client, ConnectionState state) {
        boolean nowConnected = state.isConnected();
        if (nowConnected == connected) {
            return;
        }
        connected = nowConnected;
        if (nowConnected) {
            disconnectedSinceMillis = 0;
            LOG.info("event=topology_connected state={} shops={}", state, directory.shops());
        } else {
            disconnectedSinceMillis = System.currentTimeMillis();
            LOG.warn("event=topology_stale state={} shops={} note=\"routing on the last view\"", state, directory.shops());
        }
    }
}
