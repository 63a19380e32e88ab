package dev.cellshop.control.mover;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The primary keys of the rows the applier wrote or removed, per table, each with the number
 * of the commit that last touched it: the only rows that can have changed on either side
 * since a verification read them (the target is written by the applier alone). A key is
 * recorded after its target commit, so a row read as equal before its key's commit number
 * was handed out by {@link #since} shows up in a later {@code since}.
 *
 * <p>Bounded: past {@code limit} distinct keys it stops recording and says so, and the pause
 * verifies everything instead.
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

    /** The keys touched after a mark, per table, and the mark to ask from next time. */
    public record Since(long mark, Map<ShopTable, List<RowKey>> keys) {

        public int size() {
            return keys.values().stream().mapToInt(List::size).sum();
        }
    }

    private record Table(ShopTable table, Map<RowKey, Long> commits) {
    }

    private final int limit;
    private final Map<String, Table> tables = new HashMap<>();
    private long commits;
    private int size;
    private boolean overflowed;

    public ChangedKeys(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("changed-keys limit must be >= 1: " + limit);
        }
        this.limit = limit;
    }

    /** Records the keys of one committed target transaction: before and after, when an update moved the key. */
    synchronized void recordCommitted(List<RowChange> changes) {
        if (overflowed || changes.isEmpty()) {
            return;
        }
        commits++;
        for (RowChange change : changes) {
            Table t = tables.computeIfAbsent(change.table().name(), n -> new Table(change.table(), new HashMap<>()));
            add(t, change.before());
            add(t, change.after());
        }
    }

    private void add(Table t, Serializable[] image) {
        if (image == null || overflowed) {
            return;
        }
        int[] key = t.table().primaryKeyIndexes();
        Serializable[] values = new Serializable[key.length];
        for (int i = 0; i < key.length; i++) {
            values[i] = image[key[i]];
        }
        if (t.commits().put(new RowKey(values), commits) == null && ++size > limit) {
            overflowed = true;
            tables.clear(); // incomplete: useless, and memory to give back
        }
    }

    /** The keys committed after {@code mark} (0: all), copied: the applier goes on recording meanwhile. */
    public synchronized Since since(long mark) {
        Map<ShopTable, List<RowKey>> keys = new LinkedHashMap<>();
        for (Table t : tables.values()) {
            List<RowKey> touched = new ArrayList<>();
            t.commits().forEach((key, commit) -> {
                if (commit > mark) {
                    touched.add(key);
                }
            });
            if (!touched.isEmpty()) {
                keys.put(t.table(), touched);
            }
        }
        return new Since(commits, keys);
    }

    /** True when more keys changed than the limit: the set is incomplete and cannot stand for the changes. */
    public synchronized boolean overflowed() {
        return overflowed;
    }
}
