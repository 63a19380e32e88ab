package dev.cellshop.control.shops;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.CellDescriptor;
import java.sql.SQLException;

/**
 * Where a new shop's rows go in its cell: {@link CellDatabase} (the cell's MySQL) in the
 * control plane; ops/bench/placement writes none, to measure placement and ZooKeeper alone.
 */
public interface ShopRows {

    /** The shop's row and the hash of its admin token. */
    void insertShop(CellDescriptor cell, ShopId shop, NewShop request, String adminToken) throws SQLException;

    /** Every row of the shop in the cell. */
    void deleteShop(CellDescriptor cell, ShopId shop) throws SQLException;
}
