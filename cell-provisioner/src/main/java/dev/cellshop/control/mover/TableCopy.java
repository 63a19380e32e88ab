package dev.cellshop.control.mover;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One table's copy for {@link RowCopier}, as a two-stage pipeline: while batch N is
 * written to the target, batch N+1 is already read (and locked) on the source in a second
 * source session, so the source's reading and the target's writing overlap as they do in
 * {@code mysqldump | mysql}. A batch's source transaction ends only after its target
 * commit (the lock rule of {@link RowCopier}); the read-ahead session's previous batch is
 * always committed before it reads again.
 */
final class TableCopy {

    private static final int MAX_ATTEMPTS = 5;
    private static final int MAX_PARAMETERS = 65_535;

    /** A batch read and locked on {@code source}: each row's values in table order, the bytes the server sent. */
    private record ReadBatch(Connection source, List<byte[][]> rows, KeyCursor cursor) {
    }

    private final ShopTable table;
    private final ShopQueries queries;
    private final long shopId;
    private final int batchSize;

    TableCopy(ShopTable table, long shopId, int batchSize) {
        this.table = table;
        this.queries = new ShopQueries(table);
        this.shopId = shopId;
        this.batchSize = batchSize;
    }

    /** Told after each batch is committed on both sides; a throw stops the copy. */
    interface Committed {
        void batch(KeyCursor cursor, int rows, boolean done) throws Exception;
    }

    void run(CellMysql source, CellMysql target, KeyCursor start, Throttle throttle, Committed committed) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("copy-read-" + table.name()).daemon().factory());
        try (Connection first = readSession(source); Connection second = readSession(source); Connection dst = target.connectServerPrepared()) {
            try (Statement s = dst.createStatement()) {
                s.execute("SET SESSION foreign_key_checks = 0");
            }
            dst.setAutoCommit(false);
            Connection[] sessions = {first, second};
            throttle.awaitPermit();
            Future<ReadBatch> next = reader.submit(() -> readRetrying(sessions[0], start));
            for (int n = 1; ; n++) {
                ReadBatch batch = get(next);
                boolean done = batch.rows().size() < batchSize || table.keyAfterShop().isEmpty();
                if (!done) {
                    throttle.awaitPermit();
                    Connection other = sessions[n % 2];
                    next = reader.submit(() -> readRetrying(other, batch.cursor()));
                }
                try {
                    writeRetrying(dst, queries.insertIgnore(), batch);
                } finally {
                    // releases the batch's row locks only now that the target has it (or gave up)
                    batch.source().commit();
                }
                committed.batch(batch.cursor(), batch.rows().size(), done);
                if (done) {
                    return;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("copy of " + table.name() + " stopped");
                }
            }
        } finally {
            reader.shutdownNow();
        }
    }

    private static Connection readSession(CellMysql source) throws SQLException {
        Connection c = source.connect();
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        c.setAutoCommit(false);
        return c;
    }

    private static ReadBatch get(Future<ReadBatch> next) throws Exception {
        try {
            return next.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * A read that InnoDB chose as a deadlock victim (or whose lock wait timed out) behind a
     * shopper's transaction is rolled back and tried again: the copy yields, traffic does not.
     */
    private ReadBatch readRetrying(Connection src, KeyCursor cursor) throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return read(src, cursor);
            } catch (SQLTransactionRollbackException | SQLTimeoutException yielded) {
                src.rollback();
                if (attempt >= MAX_ATTEMPTS) {
                    throw yielded;
                }
                Thread.sleep(10L * attempt);
            }
        }
    }

    private ReadBatch read(Connection src, KeyCursor cursor) throws SQLException {
        ShopQueries.Bound batch = queries.nextBatch(shopId, cursor, batchSize);
        int keyColumns = table.keyAfterShop().size();
        List<ShopTable.Column> columns = table.columns();
        List<byte[][]> rows = new ArrayList<>();
        try (PreparedStatement select = src.prepareStatement(batch.sql())) {
            RowCopier.bind(select, batch.parameters());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    byte[][] row = new byte[columns.size()][];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getBytes(keyColumns + 1 + i);
                    }
                    rows.add(row);
                    if (rs.isLast()) {
                        List<Object> key = new ArrayList<>(keyColumns);
                        for (int i = 0; i < keyColumns; i++) {
                            key.add(RowCopier.keyValue(table.column(table.keyAfterShop().get(i)), rs, i + 1));
                        }
                        cursor = new KeyCursor(key);
                    }
                }
            }
        }
        return new ReadBatch(src, rows, cursor);
    }

    /**
     * The target side may deadlock with the applier's writes to the same rows: the batch is still
     * locked on the source, so it is simply written again. One prepared INSERT, batched: the
     * driver (rewriteBatchedStatements) sends the rows as multi-row statements, each within
     * the server's max_allowed_packet.
     *
     * <p>Each value goes as the bytes the source server sent, a parameter of a server-side
     * prepared statement, so no SQL text is ever made of it and the target's sql_mode
     * ({@code NO_BACKSLASH_ESCAPES}) has nothing to read: its text for numbers, decimals and
     * date-times (what QUOTE() or mysqldump print: exact, in the sessions' UTC), a binary's
     * own bytes, a text's utf8mb4 bytes, which {@link ShopQueries#insertIgnore()} converts to
     * the column's charset. A statement holds at most {@value #MAX_PARAMETERS} parameters
     * (the protocol's limit), so a large batch goes as several, in one transaction.
     */
    private static void writeRetrying(Connection dst, String insertIgnore, ReadBatch batch) throws SQLException, InterruptedException {
        if (batch.rows().isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try (PreparedStatement insert = dst.prepareStatement(insertIgnore)) {
                int rowsPerStatement = Math.max(1, MAX_PARAMETERS / batch.rows().get(0).length);
                int pending = 0;
                for (byte[][] row : batch.rows()) {
                    for (int i = 0; i < row.length; i++) {
                        insert.setBytes(i + 1, row[i]);
                    }
                    insert.addBatch();
                    if (++pending == rowsPerStatement) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    insert.executeBatch();
                }
                dst.commit();
                return;
            } catch (SQLException e) {
                dst.rollback();
                // a batch's failure comes wrapped (BatchUpdateException): the deadlock is its cause
                Throwable why = e instanceof BatchUpdateException && e.getCause() != null ? e.getCause() : e;
                if (!(why instanceof SQLTransactionRollbackException || why instanceof SQLTimeoutException) || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(10L * attempt);
            }
        }
    }
}
