package dev.cellshop.cell.fencing;

import dev.cellshop.kernel.id.ShopId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Requests of each shop that this instance admitted and has not finished. A move's cutover
 * freezes the shop (no new admissions: the placement fence refuses them) and then waits until
 * every instance of the source cell counts 0, so the last write the move copies really is the
 * last one (see {@code GET /internal/v1/shops/{id}/quiescence}). Only shops with requests in
 * flight have an entry.
 */
public final class InFlightRequests {

    private final ConcurrentHashMap<ShopId, Integer> counts = new ConcurrentHashMap<>();

    /**
     * Counts a request of the shop in flight, then asks {@code decide} whether it may be served;
     * a refused request is uncounted at once. Counting first is what makes the quiescence check
     * sound: deciding first would leave a moment in which the request is admitted (by a placement
     * read just before the freeze) but not yet counted, so a check in that moment could see 0
     * and the cutover go on while the request still writes.
     */
    public Decision admit(ShopId shop, Supplier<Decision> decide) {
        enter(shop);
        Decision decision;
        try {
            decision = decide.get();
        } catch (RuntimeException e) {
            leave(shop);
            throw e;
        }
        if (!decision.serves()) {
            leave(shop);
        }
        return decision;
    }

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
