package dev.cellshop.control.shops;

import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import java.sql.SQLException;

/** Reads a shop back: its placement from ZooKeeper, its name and domain from its cell's database. Blocking. */
public final class ShopDirectory {

    private final TopologyStore topology;
    private final CellDatabase databases;

    public ShopDirectory(TopologyStore topology, CellDatabase databases) {
        this.topology = topology;
        this.databases = databases;
    }

    public ShopView show(ShopId shop) throws Exception {
        Placement placement = topology.placement(shop)
                .orElseThrow(() -> new ProblemException(Problem.notFound("unknown shop " + shop)));
        var cell = topology.cell(placement.cellId()).orElseThrow(() -> new ProblemException(Problem.internalError(
                "shop " + shop + " is placed on cell " + placement.cellId() + ", which has no descriptor")));
        CellDatabase.ShopRow row;
        try {
            row = databases.shop(cell, shop).orElse(null);
        } catch (SQLException e) {
            throw new ProblemException(Problem.serviceUnavailable("cell " + cell.cellId() + " is not reachable: its MySQL at "
                    + cell.endpoints().mysql() + " failed: " + e.getMessage()), e);
        }
        return new ShopView(shop, placement.cellId(), placement.state(), placement.epoch(),
                row == null ? null : row.domain(), row == null ? null : row.name());
    }
}
