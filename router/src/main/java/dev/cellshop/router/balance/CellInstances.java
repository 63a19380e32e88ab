package dev.cellshop.router.balance;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The instance pool of every cell the router has seen in ZooKeeper. */
public final class CellInstances {

    private final Map<CellId, InstancePool> pools = new ConcurrentHashMap<>();

    /** The cell's pool (empty if the cell has no live instance yet); never null. */
    public InstancePool pool(CellId cell) {
        return pools.computeIfAbsent(cell, InstancePool::new);
    }

    public void replace(CellId cell, Collection<InstanceDescriptor> live) {
        pool(cell).replace(live);
    }

    public Map<CellId, InstancePool> all() {
        return Map.copyOf(pools);
    }
}
