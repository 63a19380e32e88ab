package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Static stability: with ZooKeeper gone the router keeps routing on its last view, and resyncs when it is back. */
@ExtendWith(LocalPlatformExtension.class)
class ZooKeeperOutageIT {

    @Test
    void routingGoesOnWithoutZooKeeperAndChangesFlowAgainAfterIt(LocalPlatform platform) throws Exception {
        PlatformEndpoints endpoints = platform.endpoints();
        try (RunningRouter router = new RunningRouter(endpoints, TopologyPaths.DEFAULT, Map.of())) {
            CellShops shops = new CellShops(endpoints, router);
            CellShops.Shop onA = shops.createServed("cell-a");
            CellShops.Shop onB = shops.createServed("cell-b");
            Load loadA = shops.readLoad(onA, 3);
            Load loadB = shops.readLoad(onB, 3);
            try {
                await().until(() -> loadA.count() > 100);
                platform.stop("zookeeper");
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> router.client.get("/metrics", Map.of()).body()
                            .contains("cellshop_router_zookeeper_connected 0.0"));
                    Reply ready = router.client.get("/ready", Map.of());
                    assertThat(ready.status()).as("still ready on its last view").isEqualTo(200);
                    assertThat(ready.body()).contains("routing on the last view");
                    int before = loadA.count() + loadB.count();
                    await().until(() -> loadA.count() + loadB.count() > before + 200); // traffic flows with ZooKeeper down
                } finally {
                    platform.start("zookeeper");
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> router.client.get("/metrics", Map.of()).body()
                        .contains("cellshop_router_zookeeper_connected 1.0"));
                CellShops.Shop created = shops.create("cell-b"); // a change after the outage reaches the router
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> router.client.get("/api/v1/products", Map.of("Host", created.domain())).status() == 200);
            } finally {
                loadA.close();
                loadB.close();
            }
            System.out.printf("ZooKeeper outage: %d + %d requests, errors %s%n", loadA.count(), loadB.count(), loadA.notOk().size() + loadB.notOk().size());
            assertThat(loadA.notOk()).as("errors for cell-a's shop: %s", loadA.summary()).isEmpty();
            assertThat(loadB.notOk()).as("errors for cell-b's shop: %s", loadB.summary()).isEmpty();
        }
    }
}
