package dev.cellshop.control.shops;

import dev.cellshop.control.audit.AuditEntry;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.CellDescriptor;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a certification canary: its rows in the cell first, then its placement and domain
 * claim with the audit entry in one ZooKeeper transaction, so the shop is never routed to rows
 * that are gone for longer than the router's view lags. Blocking.
 */
public final class ShopRemover {

    private static final Logger LOG = LoggerFactory.getLogger(ShopRemover.class);

    private final TopologyStore topology;
    private final CellDatabase databases;

    public ShopRemover(TopologyStore topology, CellDatabase databases) {
        this.topology = topology;
        this.databases = databases;
    }

    public void remove(CellDescriptor cell, ShopId shop, String domain, String actor) throws Exception {
        databases.deleteShop(cell, shop);
        topology.removeShop(shop, domain, AuditEntry.of(actor, "cell.certify.canary-removed", "shop/" + shop,
                Json.mapper().valueToTree(Map.of("shopId", shop.toString(), "cellId", cell.cellId().toString(), "domain", domain)),
                null));
        LOG.info("event=shop_removed shop={} cell={} domain={} actor={}", shop, cell.cellId(), domain, actor);
    }
}
