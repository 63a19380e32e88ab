package dev.cellshop.cell.fencing;

import dev.cellshop.kernel.id.ShopId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests of each shop that this instance admitted and has not finished. A move's cutover
 * freezes the shop (no new admissions: the placement fence refuses them) and then waits until
 * every instance of the source cell counts 0, so the last write the move copies really is the
 * last one (see {@code GET /internal/v1/shops/{id}/quiescence}). Only shops with requests in
 * flight have an entry.
 */
public final class InFlightRequests {

    private final ConcurrentHashMap<ShopId, Integer> counts = new ConcurrentHashMap<>();

    public void enter(ShopId shop) {
        counts.merge(shop, 1, Integer::sum);
    }

    public void leave(ShopId shop) {
        counts.computeIfPresent(shop, (s, n) -> n <= 1 ? null : n - 1);
    }

    public int count(ShopId shop) {
        return counts.getOrDefault(shop, 0);
    }
}
