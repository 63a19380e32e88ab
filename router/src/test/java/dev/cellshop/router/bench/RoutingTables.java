package dev.cellshop.router.bench;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.router.topology.ShopDirectory;

/** A routing table as a router holds it for a platform of {@code shops} shops over 100 cells, each shop with a domain. */
final class RoutingTables {

    static final int CELLS = 100;

    private RoutingTables() {
    }

    static ShopDirectory filled(int shops) {
        ShopDirectory directory = new ShopDirectory();
        for (int i = 1; i <= shops; i++) {
            ShopId shop = ShopId.of(1_000_000_000L + i);
            // a fresh CellId per shop, as JSON parsing gives: the directory must intern them
            directory.putPlacement(shop, Placement.initial(CellId.of("cell-" + (i % CELLS))));
            directory.putDomain(domain(i), shop);
        }
        return directory;
    }

    static ShopId shop(int i) {
        return ShopId.of(1_000_000_000L + i);
    }

    static String domain(int i) {
        return "shop-" + i + ".cellshop-platform.example";
    }
}
