package dev.cellshop.kernel.topology;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyPathsTest {

    private final TopologyPaths paths = TopologyPaths.DEFAULT;
    private final CellId cellA = CellId.of("cell-a");

    @Test
    void paths_follow_the_layout_of_the_spec() {
        assertThat(paths.cells()).isEqualTo("/cellshop/cells");
        assertThat(paths.cell(cellA)).isEqualTo("/cellshop/cells/cell-a");
        assertThat(paths.instances(cellA)).isEqualTo("/cellshop/cells/cell-a/instances");
        assertThat(paths.instance(cellA, "127.0.0.1:9001")).isEqualTo("/cellshop/cells/cell-a/instances/127.0.0.1:9001");
        assertThat(paths.routers()).isEqualTo("/cellshop/routers");
        assertThat(paths.router("router-1")).isEqualTo("/cellshop/routers/router-1");
        assertThat(paths.shops()).isEqualTo("/cellshop/shops");
        assertThat(paths.shop(ShopId.of(42))).isEqualTo("/cellshop/shops/42");
        assertThat(paths.domains()).isEqualTo("/cellshop/domains");
        assertThat(paths.domain("shop.example.com")).isEqualTo("/cellshop/domains/shop.example.com");
        assertThat(paths.moves()).isEqualTo("/cellshop/moves");
        assertThat(paths.move("move-7")).isEqualTo("/cellshop/moves/move-7");
        assertThat(paths.idWorkers()).isEqualTo("/cellshop/ids/workers");
        assertThat(paths.idWorkerPrefix()).isEqualTo("/cellshop/ids/workers/worker-");
        assertThat(paths.auditEntryPrefix()).isEqualTo("/cellshop/audit/entry-");
    }

    @Test
    void a_test_root_isolates_every_path() {
        TopologyPaths isolated = new TopologyPaths("/test-17/cellshop");
        assertThat(isolated.shop(ShopId.of(1))).isEqualTo("/test-17/cellshop/shops/1");
        assertThat(isolated.idWorkers()).isEqualTo("/test-17/cellshop/ids/workers");
        assertThat(new TopologyPaths()).isEqualTo(TopologyPaths.DEFAULT);
    }

    @Test
    void roots_that_are_not_clean_absolute_paths_are_refused() {
        for (String bad : new String[] {"", "/", "cellshop", "/cellshop/", "/a//b", "/a/../b", "/zookeeper", "/with space"}) {
            assertThatThrownBy(() -> new TopologyPaths(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void domains_are_lower_cased_so_one_shop_has_one_node() {
        assertThat(paths.domain("Shop.Example.COM")).isEqualTo("/cellshop/domains/shop.example.com");
        assertThat(TopologyPaths.normalizeDomain("demo-shop.localhost")).isEqualTo("demo-shop.localhost");
    }

    @Test
    void domains_that_are_not_hostnames_are_refused_with_the_value() {
        for (String bad : new String[] {"", "shop..com", "-shop.com", "shop-.com", "shop.com.", "shop/evil",
                "shop.com:8080", "shop_1.com", "a".repeat(64) + ".com", "ünïcode.com"}) {
            assertThatThrownBy(() -> paths.domain(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> paths.domain("shop/evil")).hasMessageContaining("'shop/evil'");
    }

    @Test
    void node_names_with_a_slash_cannot_escape_their_parent() {
        assertThatThrownBy(() -> paths.router("a/b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("router id");
        assertThatThrownBy(() -> paths.move("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> paths.instance(cellA, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shop_and_cell_ids_parse_back_from_their_paths() {
        assertThat(paths.shopIdFromPath(paths.shop(ShopId.of(9007199254740993L)))).isEqualTo(ShopId.of(9007199254740993L));
        assertThat(paths.cellIdFromPath(paths.cell(cellA))).isEqualTo(cellA);
        assertThat(paths.cellIdFromPath(paths.instance(cellA, "10.0.0.1:9000"))).isEqualTo(cellA);
        assertThat(paths.domainFromPath(paths.domain("shop.example.com"))).isEqualTo("shop.example.com");
    }

    @Test
    void paths_outside_the_layout_are_refused_when_parsed() {
        assertThatThrownBy(() -> paths.shopIdFromPath("/cellshop/shops")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> paths.shopIdFromPath("/cellshop/shops/abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'abc'");
        assertThatThrownBy(() -> paths.shopIdFromPath("/cellshop/shops/1/extra")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> paths.shopIdFromPath("/other/shops/1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> paths.cellIdFromPath("/cellshop/cells")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> paths.cellIdFromPath("/cellshop/cells/Bad_Cell")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopologyPaths("/t").cellIdFromPath("/cellshop/cells/cell-a"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
