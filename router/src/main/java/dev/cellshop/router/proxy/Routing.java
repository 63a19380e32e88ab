package dev.cellshop.router.proxy;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.router.balance.CellInstances;
import dev.cellshop.router.breaker.CellBreaker;
import dev.cellshop.router.hold.HeldRequests;
import dev.cellshop.router.limit.ClientRateLimit;
import dev.cellshop.router.metrics.RouterMetrics;
import dev.cellshop.router.topology.ShopDirectory;
import dev.cellshop.router.topology.TopologyWatcher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every event loop's {@link ProxyHandler} shares: the routing table, the instance
 * pools, the cell breakers, the held requests and the per-client limit ({@code clientLimit},
 * null when off). All of it is thread-safe.
 */
public record Routing(ShopDirectory directory, CellInstances instances, TopologyWatcher watcher, HeldRequests holds,
                      RequestSignature signature, RouterMetrics metrics, ProxySettings settings,
                      Map<CellId, CellBreaker> breakers, int breakerThreshold, long breakerOpenNanos,
                      ClientRateLimit clientLimit) {

    public Routing(ShopDirectory directory, CellInstances instances, TopologyWatcher watcher, HeldRequests holds,
                   RequestSignature signature, RouterMetrics metrics, ProxySettings settings, int breakerThreshold,
                   long breakerOpenNanos, ClientRateLimit clientLimit) {
        this(directory, instances, watcher, holds, signature, metrics, settings, new ConcurrentHashMap<>(),
                breakerThreshold, breakerOpenNanos, clientLimit);
    }

    public CellBreaker breaker(CellId cell) {
        CellBreaker breaker = breakers.get(cell);
        return breaker != null ? breaker : breakers.computeIfAbsent(cell, c -> new CellBreaker(breakerThreshold, breakerOpenNanos));
    }
}
