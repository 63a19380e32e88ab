package dev.cellshop.router.metrics;

import dev.cellshop.router.proxy.ProxyHandler;
import dev.cellshop.router.proxy.Routing;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Gauges read at scrape time: nothing on the request path. */
public final class RouterGauges {

    private RouterGauges() {
    }

    public static void register(PrometheusRegistry registry, Routing routing) {
        GaugeWithCallback.builder().name("cellshop_router_breaker_state")
                .help("circuit breaker of each cell: 0 closed, 1 open, 2 half-open").labelNames("cell")
                .callback(cb -> routing.breakers().forEach((cell, b) -> cb.call(b.state().ordinal(), cell.toString())))
                .register(registry);
        GaugeWithCallback.builder().name("cellshop_router_held_requests")
                .help("requests of FROZEN shops waiting for their cutover to end")
                .callback(cb -> cb.call(routing.holds().held())).register(registry);
        GaugeWithCallback.builder().name("cellshop_router_placement_age_seconds")
                .help("seconds since the last topology change was applied (grows while ZooKeeper is unreachable)")
                .callback(cb -> {
                    long last = routing.watcher().lastChangeMillis();
                    if (last > 0) {
                        cb.call((System.currentTimeMillis() - last) / 1000.0);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("cellshop_router_zookeeper_connected")
                .help("1 while the ZooKeeper session is connected; 0 while routing on the last view")
                .callback(cb -> cb.call(routing.watcher().connected() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("cellshop_router_request_body_bytes")
                .help("request body bytes held now (kept to be signed and sent again), until their exchange ends")
                .callback(cb -> cb.call(routing.metrics().bodyBytesHeld())).register(registry);
        if (ProxyHandler.buffers() instanceof ByteBufAllocatorMetricProvider pool) { // what a leak of request buffers shows in
            GaugeWithCallback.builder().name("cellshop_router_buffer_pool_bytes")
                    .help("memory of the buffer pool the router's connections use, by kind (direct: off-heap)").labelNames("kind")
                    .callback(cb -> {
                        cb.call(pool.metric().usedDirectMemory(), "direct");
                        cb.call(pool.metric().usedHeapMemory(), "heap");
                    }).register(registry);
        }
        GaugeWithCallback.builder().name("cellshop_router_shops").help("shops in the routing table")
                .callback(cb -> cb.call(routing.directory().shops())).register(registry);
        GaugeWithCallback.builder().name("cellshop_router_instances")
                .help("instances of each cell, by whether they take traffic now").labelNames("cell", "available")
                .callback(cb -> routing.instances().all().forEach((cell, pool) -> {
                    long now = System.nanoTime();
                    long up = pool.members().stream().filter(u -> u.available(now)).count();
                    cb.call(up, cell.toString(), "true");
                    cb.call(pool.members().size() - up, cell.toString(), "false");
                })).register(registry);
    }
}
