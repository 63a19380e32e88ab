package dev.cellshop.control.mover;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The primary keys of the rows the applier wrote or removed since this set was made, per
 * table: after a verification of the live shop, these are the only rows that can have
 * changed on either side (the target is written by the applier alone), so the pause
 * re-checks just them ({@link Verifier#recheck}). Bounded: past {@code limit} keys it stops
 * recording and says so, and the pause verifies everything instead.
 */
public final class ChangedKeys {

    /** A primary key as the binlog decoded it, in {@link ShopTable#primaryKey()} order; byte arrays compare by content. */
    public record RowKey(Serializable[] values) {

        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey other && Arrays.deepEquals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.deepToString(values);
        }
    }

    private final int limit;
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean overflowed;

    private record Table(ShopTable table, Set<RowKey> keys) {
    }

    public ChangedKeys(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("changed-keys limit must be >= 1: " + limit);
        }
        this.limit = limit;
    }

    /** Records the key(s) of one applied change: before and after, when an update moved the key. */
    void record(RowChange change) {
        if (overflowed) {
            return;
        }
        Table t = tables.computeIfAbsent(change.table().name(), n -> new Table(change.table(), ConcurrentHashMap.newKeySet()));
        add(t, change.before());
        add(t, change.after());
    }

    private void add(Table t, Serializable[] image) {
        if (image == null) {
            return;
        }
        int[] key = t.table().primaryKeyIndexes();
        Serializable[] values = new Serializable[key.length];
        for (int i = 0; i < key.length; i++) {
            values[i] = image[key[i]];
        }
        if (t.keys().add(new RowKey(values)) && size.incrementAndGet() > limit) {
            overflowed = true;
        }
    }

    /** True when more keys changed than the limit: the set is incomplete and cannot stand for the changes. */
    public boolean overflowed() {
        return overflowed;
    }

    public int size() {
        return size.get();
    }

    /** The keys per table, copied: the applier may go on recording meanwhile. */
    public Map<ShopTable, List<RowKey>> byTable() {
        Map<ShopTable, List<RowKey>> copy = new LinkedHashMap<>();
        tables.values().forEach(t -> copy.put(t.table(), List.copyOf(t.keys())));
        return copy;
    }
}
