package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.control.audit.AuditEntry;
import dev.cellshop.control.audit.AuditLog;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A move's placement changes on the platform's ZooKeeper, under a private root. */
@ExtendWith(LocalPlatformExtension.class)
class PlacementSwitchIT {

    private static final CellId SOURCE = CellId.of("cell-a");
    private static final CellId TARGET = CellId.of("cell-b");

    @Test
    void freeze_then_switch_raise_the_epoch_each_step_with_an_audit_entry_and_a_concurrent_change_stops_the_move(
            PlatformEndpoints platform) throws Exception {
        TopologyPaths paths = new TopologyPaths("/switch-it-" + UUID.randomUUID().toString().substring(0, 8));
        try (CuratorFramework curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5))) {
            curator.start();
            AuditLog audit = new AuditLog(curator, paths);
            audit.ensureCreated();
            PlacementSwitch placements = new PlacementSwitch(curator, paths, audit, "mover-it");
            ShopId moved = ShopId.of(41);
            ShopId raced = ShopId.of(42);
            for (ShopId shop : List.of(moved, raced)) {
                curator.create().creatingParentsIfNeeded().forPath(paths.shop(shop), Json.writeBytes(Placement.initial(SOURCE)));
            }

            PlacementSwitch.Seen frozen = placements.freeze(moved, placements.read(moved), "move-1");
            assertThat(placements.read(moved).placement()).isEqualTo(new Placement(SOURCE, PlacementState.FROZEN, 2));
            assertThatThrownBy(() -> placements.freeze(moved, frozen, "move-2")).hasMessageContaining("not ACTIVE");
            PlacementSwitch.Seen switched = placements.activateOn(moved, frozen, TARGET, "move-1");
            assertThat(placements.read(moved)).isEqualTo(switched);
            assertThat(switched.placement()).isEqualTo(new Placement(TARGET, PlacementState.ACTIVE, 3));

            PlacementSwitch.Seen racedFrozen = placements.freeze(raced, placements.read(raced), "move-3");
            curator.setData().forPath(paths.shop(raced), Json.writeBytes(new Placement(SOURCE, PlacementState.ACTIVE, 7)));
            assertThatThrownBy(() -> placements.activateOn(raced, racedFrozen, TARGET, "move-3"))
                    .hasMessageContaining("changed under move move-3").hasMessageContaining("epoch=7");
            assertThat(placements.read(raced).placement().epoch()).isEqualTo(7);

            List<AuditEntry> latest = audit.latest(10);
            assertThat(latest).extracting(AuditEntry::action).contains("shop.freeze", "shop.switch");
            AuditEntry switchEntry = latest.stream().filter(e -> e.action().equals("shop.switch")).findFirst().orElseThrow();
            assertThat(switchEntry.subject()).isEqualTo("shop/41");
            assertThat(switchEntry.before().path("state").asText()).isEqualTo("FROZEN");
            assertThat(switchEntry.after().path("cellId").asText()).isEqualTo("cell-b");
            assertThat(switchEntry.after().path("moveId").asText()).isEqualTo("move-1");
            curator.delete().deletingChildrenIfNeeded().forPath(paths.root());
        }
    }
}
