package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A failing cell fails only its own shops, fast, and comes back by itself. */
@ExtendWith(LocalPlatformExtension.class)
class CellFailureIT {

    @Test
    void stoppingEveryInstanceOfCellAFailsOnlyItsShopsFastAndTheyRecover(LocalPlatform platform) throws Exception {
        PlatformEndpoints endpoints = platform.endpoints();
        String runtime = endpoints.cell("cell-a").runtimes().isEmpty() ? null : "cell-a/runtime-1";
        assertThat(runtime).as("the test platform runs a cell-runtime on cell-a").isNotNull();
        try (RunningRouter router = new RunningRouter(endpoints, TopologyPaths.DEFAULT, Map.of())) {
            CellShops shops = new CellShops(endpoints, router);
            CellShops.Shop onA = shops.createServed("cell-a");
            CellShops.Shop onB = shops.createServed("cell-b");
            Load loadA = shops.readLoad(onA, 4);
            Load loadB = shops.readLoad(onB, 4);
            try {
                await().until(() -> loadA.count() > 100 && loadB.count() > 100);
                platform.stop(runtime);
                await().atMost(Duration.ofSeconds(30)).until(() -> loadA.withStatus(503).size() > 100);
                platform.start(runtime);
                int failedBefore = loadA.notOk().size();
                await().atMost(Duration.ofSeconds(60)).until(() -> router.client.get("/api/v1/products", onA.header()).status() == 200);
                int countAtRecovery = loadA.count();
                await().until(() -> loadA.count() > countAtRecovery + 100);
                assertThat(loadA.outcomes.stream().skip(countAtRecovery + 20).filter(o -> o.status() != 200).count())
                        .as("cell-a's shop is served again after the restart").isZero();
                assertThat(failedBefore).isPositive();
            } finally {
                loadA.close();
                loadB.close();
            }
            assertThat(loadB.notOk()).as("cell-b's shop never saw an error: %s", loadB.summary()).isEmpty();
            assertThat(loadA.notOk()).as("cell-a's shop only ever got 503s: %s", loadA.summary())
                    .allMatch(o -> o.status() == 503 && o.retryAfter() != null);
            long p99 = Load.p99Millis(loadA.withStatus(503));
            System.out.printf("cell-a down: %d fast 503s, p99 %d ms; cell-b: %d requests, 0 errors%n",
                    loadA.withStatus(503).size(), p99, loadB.count());
            assertThat(p99).as("p99 of the 503s").isLessThan(50);
        }
    }

    @Test
    void aCrashedCellOpensItsBreakerAndAProbeClosesItAgain(PlatformEndpoints platform) throws Exception {
        TopologyPaths paths = new TopologyPaths("/breaker-it-" + UUID.randomUUID().toString().substring(0, 8));
        try (RunningRouter router = new RunningRouter(platform, paths, Map.of("CELLSHOP_BREAKER_OPEN_DURATION", "500ms",
                "CELLSHOP_HEALTH_INTERVAL", "10s"));
             EchoCell crashing = new EchoCell(router.vertx, router.curator, paths, "crashing");
             EchoCell healthy = new EchoCell(router.vertx, router.curator, paths, "healthy")) {
            String first = crashing.startInstance();
            healthy.startInstance();
            ShopId victim = RunningRouter.newShopId();
            ShopId bystander = RunningRouter.newShopId();
            router.place(victim, "crashing", PlacementState.ACTIVE, 1);
            router.place(bystander, "healthy", PlacementState.ACTIVE, 1);
            await().until(() -> router.client.get("/x", router.shopHeader(victim)).status() == 200);
            await().until(() -> router.client.get("/x", router.shopHeader(bystander)).status() == 200);

            crashing.crash(first); // gone without leaving ZooKeeper: connections refused
            for (int i = 0; i < 20; i++) {
                Reply reply = router.client.get("/x", router.shopHeader(victim));
                assertThat(reply.status()).isEqualTo(503);
                assertThat(reply.header("Retry-After")).isNotNull();
                assertThat(router.client.get("/x", router.shopHeader(bystander)).status()).isEqualTo(200);
            }
            assertThat(router.client.get("/metrics", Map.of()).body())
                    .contains("cellshop_router_breaker_state{cell=\"crashing\"} 1.0");

            crashing.startInstance(); // a replacement comes up; the old node is still there
            await().atMost(Duration.ofSeconds(10)).until(() -> router.client.get("/x", router.shopHeader(victim)).status() == 200);
            assertThat(router.client.get("/metrics", Map.of()).body())
                    .contains("cellshop_router_breaker_state{cell=\"crashing\"} 0.0");
        }
    }
}
