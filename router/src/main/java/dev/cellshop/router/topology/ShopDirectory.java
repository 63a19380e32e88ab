package dev.cellshop.router.topology;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The router's in-memory routing table: every shop's placement and every shop domain.
 *
 * <p>Written by one thread (the ZooKeeper watcher), read by every event loop: lookups are
 * one {@link ConcurrentHashMap#get}, never a network call. Each placement keeps the highest
 * epoch seen, so a late cache event can never move a shop back to an older placement after
 * a direct refresh (a 421 retry) has already read a newer one. Cell ids are interned: a
 * million placements share one {@link CellId} object per cell.
 */
public final class ShopDirectory {

    private final Map<ShopId, Placement> placements = new ConcurrentHashMap<>();
    private final Map<String, ShopId> domains = new ConcurrentHashMap<>();
    private final Map<CellId, CellId> cellIds = new ConcurrentHashMap<>();
    private final List<BiConsumer<ShopId, Placement>> listeners = new CopyOnWriteArrayList<>();

    public Placement placement(ShopId shop) {
        return placements.get(shop);
    }

    /** The shop of a domain, already normalised to lower case; null when unknown. */
    public ShopId shopOfDomain(String normalizedDomain) {
        return domains.get(normalizedDomain);
    }

    /**
     * Records a placement unless an equal or newer epoch is already known; listeners hear
     * of every accepted change. Returns whether it was accepted.
     */
    public boolean putPlacement(ShopId shop, Placement placement) {
        Objects.requireNonNull(shop, "shop");
        Placement interned = new Placement(cellIds.computeIfAbsent(placement.cellId(), c -> c), placement.state(), placement.epoch());
        boolean[] accepted = new boolean[1];
        placements.compute(shop, (s, current) -> {
            if (current != null && current.epoch() >= interned.epoch() && !sameEpochCorrection(current, interned)) {
                return current;
            }
            accepted[0] = true;
            return interned;
        });
        if (accepted[0]) {
            listeners.forEach(l -> l.accept(shop, interned));
        }
        return accepted[0];
    }

    public void removePlacement(ShopId shop) {
        if (placements.remove(shop) != null) {
            listeners.forEach(l -> l.accept(shop, null));
        }
    }

    public void putDomain(String normalizedDomain, ShopId shop) {
        domains.put(normalizedDomain, shop);
    }

    public void removeDomain(String normalizedDomain) {
        domains.remove(normalizedDomain);
    }

    /** Called with (shop, placement) on every accepted change, (shop, null) on removal; on the writer's thread. */
    public void onChange(BiConsumer<ShopId, Placement> listener) {
        listeners.add(listener);
    }

    public int shops() {
        return placements.size();
    }

    public int domainCount() {
        return domains.size();
    }

    /** How many shops each cell holds, for metrics and topology output. */
    public Map<CellId, Integer> shopsPerCell() {
        Map<CellId, Integer> counts = new java.util.HashMap<>();
        placements.values().forEach(p -> counts.merge(p.cellId(), 1, Integer::sum));
        return counts;
    }

    // ZooKeeper is the source of truth: a node rewritten at the same epoch (an operator's
    // manual fix) is taken as is, rather than ignored forever.
    private static boolean sameEpochCorrection(Placement current, Placement next) {
        return current.epoch() == next.epoch() && !current.equals(next);
    }
}
