package dev.cellshop.control.shops;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.PlacementState;

/** A shop as {@code shop show} reports it: placement from ZooKeeper, name and domain from its cell. */
public record ShopView(ShopId shopId, CellId cellId, PlacementState state, long epoch, String domain, String name) {
}
