package dev.cellshop.control.shops;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;

/** A shop just created; the only time its admin token is ever shown (only its hash is kept). */
public record CreatedShop(ShopId shopId, CellId cellId, String adminToken) {
}
