package dev.cellshop.router.balance;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The live instances of one cell and the choice among them: power of two choices on
 * outstanding requests (Mitzenmacher), which keeps a slow instance from piling up work
 * without the herd effect of always picking the global minimum.
 *
 * <p>Membership is replaced whole (copy on write) by the ZooKeeper watcher; {@link #pick}
 * reads one volatile array and never blocks.
 */
public final class InstancePool {

    private static final Upstream[] EMPTY = new Upstream[0];

    private final CellId cellId;
    private volatile Upstream[] members = EMPTY;

    public InstancePool(CellId cellId) {
        this.cellId = cellId;
    }

    public CellId cellId() {
        return cellId;
    }

    /**
     * The instance for the next request, or null when none can take traffic. {@code avoid}
     * (may be null) is skipped when another is available, so a retry goes elsewhere.
     */
    public Upstream pick(long nowNanos, Upstream avoid) {
        Upstream[] all = members;
        int n = all.length;
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            Upstream only = all[0];
            return only.available(nowNanos) && only != avoid ? only : null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(n);
        int j = random.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        Upstream a = usable(all[i], nowNanos, avoid);
        Upstream b = usable(all[j], nowNanos, avoid);
        if (a != null && b != null) {
            return a.outstanding() <= b.outstanding() ? a : b;
        }
        if (a != null || b != null) {
            return a != null ? a : b;
        }
        // Both samples out: scan for any instance still in (rare, only while failures are fresh).
        int start = random.nextInt(n);
        for (int k = 0; k < n; k++) {
            Upstream u = usable(all[(start + k) % n], nowNanos, avoid);
            if (u != null) {
                return u;
            }
        }
        return null;
    }

    public List<Upstream> members() {
        return List.of(members);
    }

    /** Replaces the membership, keeping the state (in-flight counts, health) of instances that stay. */
    public void replace(Collection<InstanceDescriptor> live) {
        Upstream[] current = members;
        List<Upstream> next = new ArrayList<>(live.size());
        for (InstanceDescriptor d : live) {
            Upstream kept = null;
            for (Upstream u : current) {
                if (u.instance().equals(d)) {
                    kept = u;
                    break;
                }
            }
            next.add(kept != null ? kept : new Upstream(cellId, d));
        }
        members = next.toArray(EMPTY);
    }

    private static Upstream usable(Upstream u, long nowNanos, Upstream avoid) {
        return u != avoid && u.available(nowNanos) ? u : null;
    }
}
