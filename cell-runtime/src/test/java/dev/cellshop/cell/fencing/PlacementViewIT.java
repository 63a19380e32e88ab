package dev.cellshop.cell.fencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import dev.cellshop.testkit.faults.LinkProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class PlacementViewIT {

    private static final CellId CELL_A = CellId.of("cell-a");
    private static final CellId CELL_B = CellId.of("cell-b");
    private static final ShopId SHOP = ShopId.of(42);
    private static final Duration WATCH = Duration.ofSeconds(10);

    private final TopologyPaths paths = new TopologyPaths("/it-" + UUID.randomUUID());
    private final Closer closer = new Closer();
    private String zookeeper;
    private CuratorFramework admin; // plays the control plane, writing placements

    @BeforeEach
    void connect(PlatformEndpoints platform) {
        zookeeper = platform.zookeeper();
        admin = closer.client(zookeeper);
    }

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    @Test
    void a_placement_written_to_zookeeper_is_served_at_its_epoch() throws Exception {
        PlacementView view = startedView(closer.client(zookeeper), CELL_A);
        assertThat(view.decide(SHOP, 1)).isEqualTo(new Decision.Misdirected("shop 42 has no placement"));

        write(SHOP, Placement.initial(CELL_A));

        await().atMost(WATCH).until(() -> view.decide(SHOP, 1).serves());
        assertThat(view.decide(SHOP, 1)).isEqualTo(new Decision.Serve(Placement.initial(CELL_A)));
        assertThat(view.connected()).isTrue();
    }

    @Test
    void a_frozen_shop_is_misdirected_while_its_move_is_in_progress() throws Exception {
        PlacementView view = startedView(closer.client(zookeeper), CELL_A);
        Placement frozen = Placement.initial(CELL_A).freeze();

        write(SHOP, frozen);

        Decision.Misdirected expected = new Decision.Misdirected("shop 42 is FROZEN (move in progress)");
        await().atMost(WATCH).untilAsserted(() -> assertThat(view.decide(SHOP, frozen.epoch())).isEqualTo(expected));
        assertThat(view.decide(SHOP, 1)).isEqualTo(expected);
    }

    @Test
    void a_shop_placed_on_another_cell_is_misdirected_naming_that_cell() throws Exception {
        PlacementView view = startedView(closer.client(zookeeper), CELL_A);

        write(SHOP, Placement.initial(CELL_B));

        await().atMost(WATCH).untilAsserted(() ->
                assertThat(view.decide(SHOP, 1)).isEqualTo(new Decision.Misdirected("shop 42 is placed on cell-b")));
    }

    @Test
    void after_a_move_the_old_cell_refuses_the_shop_and_the_new_cell_refuses_the_old_epoch() throws Exception {
        PlacementView onA = startedView(closer.client(zookeeper), CELL_A);
        PlacementView onB = startedView(closer.client(zookeeper), CELL_B);
        Placement before = Placement.initial(CELL_A);
        write(SHOP, before);
        await().atMost(WATCH).until(() -> onA.decide(SHOP, before.epoch()).serves());

        Placement after = before.freeze().activateOn(CELL_B);
        write(SHOP, after);

        await().atMost(WATCH).until(() -> onB.decide(SHOP, after.epoch()).serves());
        await().atMost(WATCH).untilAsserted(() ->
                assertThat(onA.decide(SHOP, after.epoch())).isEqualTo(new Decision.Misdirected("shop 42 is placed on cell-b")));
        assertThat(onB.decide(SHOP, before.epoch()))
                .isEqualTo(new Decision.Misdirected("epoch 1 is stale: placement is at epoch 3"));
    }

    @Test
    void a_router_epoch_ahead_of_this_cells_view_is_misdirected_too() throws Exception {
        PlacementView view = startedView(closer.client(zookeeper), CELL_A);
        write(SHOP, Placement.initial(CELL_A));
        await().atMost(WATCH).until(() -> view.decide(SHOP, 1).serves());

        assertThat(view.decide(SHOP, 2)).isEqualTo(
                new Decision.Misdirected("epoch 2 is ahead of this cell's view: placement is at epoch 1"));
    }

    @Test
    void deleting_the_placement_makes_the_shop_misdirected() throws Exception {
        PlacementView view = startedView(closer.client(zookeeper), CELL_A);
        write(SHOP, Placement.initial(CELL_A));
        await().atMost(WATCH).until(() -> view.decide(SHOP, 1).serves());
        long updatedBefore = view.lastUpdateMillis();

        admin.delete().forPath(paths.shop(SHOP));

        await().atMost(WATCH).untilAsserted(() ->
                assertThat(view.decide(SHOP, 1)).isEqualTo(new Decision.Misdirected("shop 42 has no placement")));
        assertThat(view.lastUpdateMillis()).isGreaterThanOrEqualTo(updatedBefore);
    }

    @Test
    void an_unreadable_placement_is_refused_rather_than_trusted() throws Exception {
        PlacementView view = startedView(closer.client(zookeeper), CELL_A);
        write(SHOP, Placement.initial(CELL_A));
        await().atMost(WATCH).until(() -> view.decide(SHOP, 1).serves());

        admin.setData().forPath(paths.shop(SHOP), "{\"cellId\":\"cell-a\",\"state\":\"ACTIVE\"}".getBytes());

        await().atMost(WATCH).untilAsserted(() ->
                assertThat(view.decide(SHOP, 1)).isEqualTo(new Decision.Misdirected("shop 42 has no placement")));
    }

    @Test
    void the_initial_view_of_1000_existing_placements_is_complete_when_ready_completes() throws Exception {
        admin.createContainers(paths.shops());
        for (int batch = 0; batch < 10; batch++) {
            List<CuratorOp> creates = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                ShopId shop = ShopId.of(batch * 100L + i);
                creates.add(admin.transactionOp().create().forPath(paths.shop(shop), Json.writeBytes(Placement.initial(CELL_A))));
            }
            admin.transaction().forOperations(creates);
        }
        PlacementView view = closer.add(new PlacementView(closer.client(zookeeper), paths, CELL_A));

        view.start();
        view.ready().get(30, TimeUnit.SECONDS);

        assertThat(view.size()).isEqualTo(1000);
        for (long shop = 1; shop <= 1000; shop++) {
            assertThat(view.decide(ShopId.of(shop), 1).serves()).as("shop %d", shop).isTrue();
        }
        assertThat(view.lastUpdateMillis()).isPositive();
    }

    @Test
    void while_zookeeper_is_unreachable_the_last_view_keeps_serving_and_catches_up_after_the_session_is_lost() throws Exception {
        LinkProxy link = closer.add(new LinkProxy(zookeeper));
        CuratorFramework cell = closer.client(link.address());
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        cell.getConnectionStateListenable().addListener((c, state) -> states.add(state));
        PlacementView view = startedView(cell, CELL_A);
        write(SHOP, Placement.initial(CELL_A));
        await().atMost(WATCH).until(() -> view.decide(SHOP, 1).serves());

        link.cut();
        write(SHOP, Placement.initial(CELL_A).freeze()); // a change this cell cannot see

        await().atMost(WATCH).until(() -> !view.connected());
        await().atMost(Duration.ofSeconds(30)).until(() -> states.contains(ConnectionState.LOST));
        assertThat(view.decide(SHOP, 1).serves()).as("static stability: the last view still answers").isTrue();

        link.pass();

        await().atMost(Duration.ofSeconds(30)).until(view::connected);
        await().atMost(WATCH).untilAsserted(() ->
                assertThat(view.decide(SHOP, 1)).isEqualTo(new Decision.Misdirected("shop 42 is FROZEN (move in progress)")));
    }

    private PlacementView startedView(CuratorFramework curator, CellId cell) throws Exception {
        PlacementView view = closer.add(new PlacementView(curator, paths, cell));
        view.start();
        view.ready().get(10, TimeUnit.SECONDS);
        return view;
    }

    private void write(ShopId shop, Placement placement) throws Exception {
        admin.create().orSetData().creatingParentContainersIfNeeded().forPath(paths.shop(shop), Json.writeBytes(placement));
    }
}
