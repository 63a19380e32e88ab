package dev.cellshop.kernel.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class ZooKeeperWatchIT {

    @Test
    void a_curator_cache_sees_a_placement_created_and_then_changed(PlatformEndpoints platform) throws Exception {
        TopologyPaths paths = new TopologyPaths("/it-" + UUID.randomUUID());
        ShopId shop = ShopId.of(42);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (CuratorFramework curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5))) {
            curator.start();
            curator.createContainers(paths.shops());
            try (CuratorCache cache = CuratorCache.build(curator, paths.shops())) {
                cache.listenable().addListener(CuratorCacheListener.builder()
                        .forCreates(node -> {
                            if (node.getPath().equals(paths.shop(shop))) {
                                seen.add("created " + new String(node.getData()));
                            }
                        })
                        .forChanges((before, after) -> seen.add("changed " + new String(after.getData())))
                        .build());
                cache.start();

                Placement placement = Placement.initial(CellId.of("cell-a"));
                curator.create().forPath(paths.shop(shop), Json.writeBytes(placement));
                curator.setData().forPath(paths.shop(shop), Json.writeBytes(placement.freeze()));

                // A cache may coalesce: when its read for the create already finds the change, it
                // reports one "created" with the newest data. What it must never do is end on an old value.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen).isNotEmpty()
                        .last().asString().endsWith(Json.write(placement.freeze())));
                assertThat(seen.get(0)).startsWith("created ");
                Placement read = Json.read(curator.getData().forPath(paths.shop(shop)), Placement.class);
                assertThat(read).isEqualTo(placement.freeze());
            }
        }
    }
}
