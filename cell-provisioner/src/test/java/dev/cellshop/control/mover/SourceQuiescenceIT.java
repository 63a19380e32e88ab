package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cutover's barrier against the platform's real cell-runtime instances of cell-a. */
@ExtendWith(LocalPlatformExtension.class)
class SourceQuiescenceIT {

    @Test
    void the_source_cell_is_quiescent_for_a_shop_only_once_every_instance_has_seen_its_freeze(PlatformEndpoints platform)
            throws Exception {
        ShopId shop = ShopId.of(ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L));
        CellId cellA = CellId.of("cell-a");
        TopologyPaths paths = TopologyPaths.DEFAULT;
        try (CuratorFramework curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5))) {
            curator.start();
            RequestSignature signature = new RequestSignature(platform.signingSecret().getBytes(StandardCharsets.UTF_8));
            curator.create().creatingParentsIfNeeded().forPath(paths.shop(shop),
                    Json.writeBytes(new Placement(cellA, PlacementState.ACTIVE, 1)));
            try {
                SourceQuiescence impatient = new SourceQuiescence(curator, paths, signature, Duration.ofMillis(500), Duration.ofMillis(50));
                assertThatThrownBy(() -> impatient.await(shop, cellA, 2)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("did not stop serving shop " + shop).hasMessageContaining("at epoch 1");

                curator.setData().forPath(paths.shop(shop), Json.writeBytes(new Placement(cellA, PlacementState.FROZEN, 2)));
                SourceQuiescence quiescence = new SourceQuiescence(curator, paths, signature, Duration.ofSeconds(10), Duration.ofMillis(20));
                assertThat(quiescence.await(shop, cellA, 2)).isLessThan(Duration.ofSeconds(10));

                SourceQuiescence unsigned = new SourceQuiescence(curator, paths,
                        new RequestSignature("another-secret-another-secret-another-secret".getBytes(StandardCharsets.UTF_8)),
                        Duration.ofMillis(300), Duration.ofMillis(50));
                assertThatThrownBy(() -> unsigned.await(shop, cellA, 2)).hasMessageContaining("answered 401");
            } finally {
                curator.delete().forPath(paths.shop(shop));
            }
        }
    }
}
