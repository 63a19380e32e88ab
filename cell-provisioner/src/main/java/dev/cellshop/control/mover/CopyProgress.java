package dev.cellshop.control.mover;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Rows copied and the estimated total, per table; read by progress reports while the copy runs. */
public final class CopyProgress {

    /** One table's figures. */
    public record Table(long copied, long estimated, boolean done) {
    }

    private final Map<String, AtomicLong> copied = new ConcurrentHashMap<>();
    private final Map<String, Long> estimated = new ConcurrentHashMap<>();
    private final Map<String, Boolean> done = new ConcurrentHashMap<>();

    void start(String table, long alreadyCopied, long estimatedTotal) {
        copied.put(table, new AtomicLong(alreadyCopied));
        estimated.put(table, Math.max(estimatedTotal, alreadyCopied));
        done.put(table, false);
    }

    void add(String table, long rows) {
        copied.get(table).addAndGet(rows);
    }

    void finish(String table) {
        done.put(table, true);
    }

    public Map<String, Table> tables() {
        Map<String, Table> view = new TreeMap<>();
        copied.forEach((t, c) -> view.put(t, new Table(c.get(), Math.max(estimated.getOrDefault(t, 0L), c.get()), done.getOrDefault(t, false))));
        return view;
    }

    public long copiedRows() {
        return copied.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long estimatedRows() {
        return tables().values().stream().mapToLong(Table::estimated).sum();
    }
}
