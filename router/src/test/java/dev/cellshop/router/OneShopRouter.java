package dev.cellshop.router;

import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.PlatformEndpoints;
import java.util.Map;
import java.util.UUID;

/**
 * A router of its own settings in front of one {@link EchoCell} ("north") with one shop
 * placed on it, already serving: the fixture of the tests of the router's edge (what it
 * forwards, slow clients, client limits, logs), each on a topology root of its own.
 */
record OneShopRouter(RunningRouter router, EchoCell cell, ShopId shop) implements AutoCloseable {

    static OneShopRouter start(PlatformEndpoints platform, String name, Map<String, String> settings) throws Exception {
        TopologyPaths paths = new TopologyPaths("/" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
        RunningRouter router = new RunningRouter(platform, paths, settings);
        EchoCell cell = new EchoCell(router.vertx, router.curator, paths, "north");
        cell.startInstance();
        ShopId shop = RunningRouter.newShopId();
        router.place(shop, "north", PlacementState.ACTIVE, 1);
        // From 127.0.0.1: tests that count by client address use others.
        await().until(() -> router.client.get("/api/v1/ping", router.shopHeader(shop)).status() == 200);
        return new OneShopRouter(router, cell, shop);
    }

    @Override
    public void close() throws Exception {
        cell.close();
        router.close();
    }
}
