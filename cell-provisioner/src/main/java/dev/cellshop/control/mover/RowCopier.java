package dev.cellshop.control.mover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Copies one shop's rows from the source cell to the target, table by table in primary-key
 * batches ({@code shop_id} leading, so a batch is one index range scan), several tables at
 * once.
 *
 * <p>The race with the binlog applier, the way Ghostferry settles it: each batch is read
 * with {@code SELECT ... FOR UPDATE} in a source transaction that stays open until the batch
 * is committed on the target, and written with {@code INSERT IGNORE}. So
 * <ul>
 * <li>no change to a batch's rows can commit on the source (and so reach the binlog and the
 *     applier) between the read and the target write: any later change is applied after
 *     the copied row is in place and overwrites it;</li>
 * <li>a row the applier already wrote is left alone (IGNORE): it came from a change at least
 *     as new as the one the copy saw, and the binlog replays every change since the recorded
 *     start in order, so the row converges to the source's either way;</li>
 * <li>without the lock, a row read, then deleted on the source, with the delete applied
 *     (a no-op) before the copy's insert, would come back on the target; and a blind
 *     overwrite (REPLACE) would let an old read replace a newer applied row.</li>
 * </ul>
 * READ COMMITTED keeps the lock to the batch's rows (no gap locks), so shoppers inserting
 * into the shop's key range are not held by the copy. Each table is copied by a
 * {@link TableCopy} pipeline.
 */
public final class RowCopier {

    /** Rows per batch and tables copied at once. */
    public record Options(int batchSize, int parallelism) {

        public Options {
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("batch size " + batchSize + " out of range 1..100000");
            }
            if (parallelism < 1 || parallelism > 64) {
                throw new IllegalArgumentException("parallelism " + parallelism + " out of range 1..64");
            }
        }
    }

    /** Told after each batch is on the target (e.g. to checkpoint the cursor); a throw stops the copy. */
    @FunctionalInterface
    public interface BatchListener {
        BatchListener NONE = (table, cursor, rows, done) -> {
        };

        void copied(ShopTable table, KeyCursor cursor, long rows, boolean tableDone) throws Exception;
    }

    private final CellMysql source;
    private final CellMysql target;
    private final long shopId;
    private final Options options;
    private final Throttle throttle;
    private final BatchListener listener;
    private final CopyProgress progress = new CopyProgress();

    public RowCopier(CellMysql source, CellMysql target, long shopId, Options options, Throttle throttle, BatchListener listener) {
        this.source = source;
        this.target = target;
        this.shopId = shopId;
        this.options = options;
        this.throttle = throttle;
        this.listener = listener;
    }

    public CopyProgress progress() {
        return progress;
    }

    /**
     * Copies the tables from their cursors ({@link KeyCursor#START} when absent; a table not
     * listed is not copied, e.g. one a resumed move finished before). {@code copiedBefore}
     * carries the counts of an earlier run into the progress.
     */
    public void copy(List<ShopTable> tables, Map<String, KeyCursor> from, Map<String, Long> copiedBefore) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallelism(), Math.max(1, tables.size())),
                Thread.ofPlatform().name("row-copier-", 0).daemon().factory());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (ShopTable table : tables) {
                running.add(pool.submit(() -> {
                    copyTable(table, from.getOrDefault(table.name(), KeyCursor.START), copiedBefore.getOrDefault(table.name(), 0L));
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    running.forEach(other -> other.cancel(true));
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void copyTable(ShopTable table, KeyCursor start, long copiedBefore) throws Exception {
        try (Connection c = source.connect()) {
            progress.start(table.name(), copiedBefore, count(c, new ShopQueries(table)));
        }
        new TableCopy(table, shopId, options.batchSize()).run(source, target, start, throttle, (cursor, rows, done) -> {
            progress.add(table.name(), rows);
            if (done) {
                progress.finish(table.name());
            }
            listener.copied(table, cursor, rows, done);
        });
    }

    private long count(Connection c, ShopQueries queries) throws SQLException {
        ShopQueries.Bound count = queries.count(shopId);
        try (PreparedStatement s = c.prepareStatement(count.sql())) {
            bind(s, count.parameters());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * A key value as a cursor holds it: a string key as text (it is compared as text in the
     * cursor's SQL), a binary key as bytes, a date-time as the server's own text (in the
     * sessions' UTC): Connector/J takes MariaDB for MySQL 5.5 (its handshake version is
     * 5.5.5-10.x) and drops the fraction of a bound date-time, while a string keeps it.
     */
    static Object keyValue(ShopTable.Column column, ResultSet rs, int index) throws SQLException {
        if (column.binary()) {
            return rs.getBytes(index);
        }
        return column.temporal() || column.textual() ? rs.getString(index) : rs.getObject(index);
    }

    static void bind(PreparedStatement s, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            s.setObject(i + 1, parameters.get(i));
        }
    }
}
