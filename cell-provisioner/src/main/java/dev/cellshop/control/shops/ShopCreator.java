package dev.cellshop.control.shops;

import dev.cellshop.control.audit.AuditEntry;
import dev.cellshop.control.placement.Placer;
import dev.cellshop.control.topology.CellCache;
import dev.cellshop.control.topology.TopologyStore;
import dev.cellshop.kernel.id.LeasedIdGenerator;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.signing.RandomTokens;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a shop, in the order that leaves nothing half made:
 * <ol>
 * <li>a new shop id (the shared, ZooKeeper-leased id generator);</li>
 * <li>the domain claimed by a ZooKeeper create: of racing creations exactly one wins, the
 *     others get 409 before touching any database;</li>
 * <li>a cell reserved by the {@link Placer} (or the one asked for);</li>
 * <li>the shop row and the hash of a fresh admin token in that cell's database;</li>
 * <li>the placement (ACTIVE, epoch 1) and its audit entry, in one ZooKeeper transaction.</li>
 * </ol>
 * A failure after the claim undoes what was done before it (rows deleted, claim released),
 * so the domain can be used again. Blocking: call off any event loop.
 */
public final class ShopCreator {

    private static final Logger LOG = LoggerFactory.getLogger(ShopCreator.class);

    private final TopologyStore topology;
    private final CellCache cells;
    private final Placer placer;
    private final ShopRows rows;
    private final LeasedIdGenerator ids;

    public ShopCreator(TopologyStore topology, CellCache cells, Placer placer, ShopRows rows, LeasedIdGenerator ids) {
        this.topology = topology;
        this.cells = cells;
        this.placer = placer;
        this.rows = rows;
        this.ids = ids;
    }

    public CreatedShop create(NewShop request, String actor) throws Exception {
        List<CellDescriptor> known = new ArrayList<>(cells.cells());
        if (request.cell() != null) {
            // the cell asked for is read fresh: a cell certified a moment ago may not be ACTIVE in the cache yet
            CellDescriptor asked = topology.cell(request.cell()).orElseThrow(() -> new ProblemException(Problem.notFound(
                    "unknown cell " + request.cell() + "; the cells are " + known.stream().map(c -> c.cellId().toString()).toList())));
            known.removeIf(c -> c.cellId().equals(asked.cellId()));
            known.add(asked);
        }
        return createOn(request, actor, "shop.create", () -> placer.reserve(known, request.cell()));
    }

    /**
     * A certification run's canary: the same steps on {@code cell} whatever its state (it is
     * CERTIFYING), so the canary never goes through the placement pool.
     */
    public CreatedShop createCanary(CellDescriptor cell, NewShop request, String actor) throws Exception {
        return createOn(request, actor, "cell.certify.canary", () -> placer.pin(cell));
    }

    private CreatedShop createOn(NewShop request, String actor, String action, Callable<Placer.Reservation> reserve)
            throws Exception {
        ShopId shop = ShopId.of(ids.nextId());
        try {
            topology.claimDomain(request.domain(), shop);
        } catch (KeeperException.NodeExistsException taken) {
            String owner = topology.domainOwner(request.domain()).map(ShopId::toString).orElse("another shop");
            throw new ProblemException(Problem.conflict("domain " + request.domain() + " is already taken by shop " + owner));
        }
        try (Placer.Reservation reservation = reserve.call()) {
            CellDescriptor cell = reservation.cell();
            int cellVersion = currentVersion(cell, action.equals("shop.create"));
            String token = newAdminToken();
            try {
                rows.insertShop(cell, shop, request, token);
            } catch (SQLException e) {
                throw new ProblemException(Problem.serviceUnavailable("cell " + cell.cellId() + " is not reachable: its MySQL at "
                        + cell.endpoints().mysql() + " failed: " + e.getMessage()), e);
            }
            Placement placement = Placement.initial(cell.cellId());
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("shopId", shop.toString());
            after.put("name", request.name());
            after.put("domain", request.domain());
            after.put("placement", placement);
            try {
                topology.createPlacement(shop, placement,
                        AuditEntry.of(actor, action, "shop/" + shop, null, Json.mapper().valueToTree(after)), cellVersion);
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException changed) {
                undoRows(cell, shop);
                throw new ProblemException(Problem.conflict("cell " + cell.cellId() + " changed while the shop was being"
                        + " placed (e.g. drained); create it again"));
            } catch (Exception e) {
                undoRows(cell, shop);
                throw e;
            }
            LOG.info("event=shop_created shop={} cell={} domain={} actor={} action={}", shop, cell.cellId(), request.domain(),
                    actor, action);
            return new CreatedShop(shop, cell.cellId(), token);
        } catch (Exception | Error e) {
            releaseClaim(request.domain(), shop);
            throw e;
        }
    }

    /**
     * The version of the chosen cell's descriptor as ZooKeeper has it now (the choice came from
     * a cache that may trail a drain by milliseconds); the placement is written only at it.
     */
    private int currentVersion(CellDescriptor chosen, boolean mustTakeShops) throws Exception {
        TopologyStore.VersionedCell now = topology.versionedCell(chosen.cellId()).orElseThrow(() -> new ProblemException(
                Problem.notFound("unknown cell " + chosen.cellId())));
        if (mustTakeShops && !now.cell().state().acceptsNewShops()) {
            throw new ProblemException(Problem.conflict("cell " + chosen.cellId() + " is " + now.cell().state()
                    + ": only an ACTIVE cell takes new shops"));
        }
        return now.version();
    }

    private void undoRows(CellDescriptor cell, ShopId shop) {
        try {
            rows.deleteShop(cell, shop);
        } catch (SQLException e) {
            // orphan rows without a placement are never served; logged so they can be removed
            LOG.error("event=shop_rows_orphaned shop={} cell={} error=\"{}\"", shop, cell.cellId(), e.getMessage());
        }
    }

    private void releaseClaim(String domain, ShopId shop) {
        try {
            topology.releaseDomain(domain, shop);
        } catch (Exception e) {
            LOG.error("event=domain_claim_orphaned domain={} shop={} error=\"{}\"", domain, shop, e.getMessage());
        }
    }

    private static String newAdminToken() {
        return "adm_" + RandomTokens.urlSafe(24);
    }
}
