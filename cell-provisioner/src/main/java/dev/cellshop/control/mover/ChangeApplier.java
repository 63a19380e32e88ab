package dev.cellshop.control.mover;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies the moving shop's binlog changes to the target, one source transaction as one
 * target transaction, in commit order. Idempotent, so a transaction applied twice (after a
 * resume from an older checkpoint) changes nothing: inserts and updates write the after
 * image by primary key ({@code INSERT ... ON DUPLICATE KEY UPDATE}: one index write, where
 * REPLACE deletes and inserts), deletes remove by primary key; an update that changes the
 * key removes the old key first. The applied position only advances after the target commit.
 * Transactions waiting in the stream are applied together in one target transaction (group
 * commit), which changes nothing of the order or the result.
 *
 * <p>Secondary unique keys: while the copy runs, the target is not a snapshot of the source
 * (a copied row can be newer than the change being replayed), so an after image may collide
 * on a unique key (e.g. variants' sku) with a row the copy wrote from a later state. The row
 * in the way then got that key value after this change, on the source, so that change is
 * later in the binlog and will be replayed: the applier writes this image with REPLACE, which
 * removes the row in the way, and the later change puts it back.
 */
public final class ChangeApplier implements AutoCloseable {

    private static final int MAX_ATTEMPTS = 5;

    private final Connection target;
    private final Map<String, PreparedStatement> upserts = new HashMap<>();
    private final Map<String, PreparedStatement> deletes = new HashMap<>();
    private final Map<String, PreparedStatement> replaces = new HashMap<>();
    private volatile GtidPosition applied;
    private volatile long appliedTimestampMillis;
    private long transactions;
    private long rows;
    private volatile ChangedKeys changedKeys;

    public ChangeApplier(CellMysql target, GtidPosition start) throws SQLException {
        this.target = target.connect();
        this.applied = start;
        try (Statement s = this.target.createStatement()) {
            // the source enforced its foreign keys; rows arrive on the target in copy and binlog order, not parent-first
            s.execute("SET SESSION foreign_key_checks = 0");
        }
        this.target.setAutoCommit(false);
    }

    /** Applies one source transaction; throws {@link MoveAbort} for a DDL transaction, before touching the target. */
    public void apply(ShopTransaction tx) throws SQLException {
        apply(List.of(tx));
    }

    /**
     * Applies source transactions, in their order, as one target transaction: one commit (one
     * log flush on a durable target) for the lot, so a single applier keeps up with a source
     * that commits from many connections at once. A DDL transaction in the group: those before
     * it are applied, then {@link MoveAbort}.
     */
    public void apply(List<ShopTransaction> group) throws SQLException {
        int end = 0;
        while (end < group.size() && group.get(end).abortReason() == null) {
            end++;
        }
        List<ShopTransaction> applying = group.subList(0, end);
        List<RowChange> changes = applying.stream().flatMap(tx -> tx.changes().stream()).toList();
        if (!changes.isEmpty()) {
            for (int attempt = 1; ; attempt++) {
                try {
                    for (RowChange change : changes) {
                        write(change);
                    }
                    target.commit();
                    break;
                } catch (SQLTransactionRollbackException | SQLTimeoutException victim) {
                    // InnoDB chose this transaction as a deadlock victim (or its lock wait timed out)
                    // against the target's own work on neighbouring rows: it was rolled back whole,
                    // and applying is idempotent, so it is simply applied again.
                    target.rollback();
                    if (attempt >= MAX_ATTEMPTS) {
                        throw victim;
                    }
                    backOff(attempt);
                } catch (SQLException | RuntimeException e) {
                    target.rollback();
                    throw e;
                }
            }
            ChangedKeys tracked = changedKeys;
            if (tracked != null) {
                tracked.recordCommitted(changes); // after the commit: see ChangedKeys
            }
            transactions += applying.stream().filter(tx -> !tx.changes().isEmpty()).count();
            rows += changes.size();
        }
        GtidPosition position = applied;
        for (ShopTransaction tx : applying) {
            position = position.with(tx.gtid());
        }
        if (!applying.isEmpty()) {
            applied = position;
            appliedTimestampMillis = applying.get(applying.size() - 1).timestampMillis();
        }
        if (end < group.size()) {
            throw new MoveAbort(group.get(end).abortReason());
        }
    }

    private void write(RowChange change) throws SQLException {
        ShopTable table = change.table();
        if (change.before() != null && (change.after() == null || !sameKey(table, change.before(), change.after()))) {
            PreparedStatement delete = deletes.computeIfAbsent(table.name(), n -> prepare(new ShopQueries(table).deleteByKey()));
            int p = 1;
            for (int i : table.primaryKeyIndexes()) {
                BinlogValues.bind(delete, p++, table.columns().get(i), change.before()[i]);
            }
            delete.executeUpdate();
        }
        if (change.after() != null) {
            PreparedStatement upsert = upserts.computeIfAbsent(table.name(), n -> prepare(new ShopQueries(table).upsert()));
            for (int i = 0; i < table.columns().size(); i++) {
                BinlogValues.bind(upsert, i + 1, table.columns().get(i), change.after()[i]);
            }
            try {
                upsert.executeUpdate();
            } catch (SQLIntegrityConstraintViolationException uniqueKeyInTheWay) {
                PreparedStatement replace = replaces.computeIfAbsent(table.name(), n -> prepare(new ShopQueries(table).replace()));
                for (int i = 0; i < table.columns().size(); i++) {
                    BinlogValues.bind(replace, i + 1, table.columns().get(i), change.after()[i]);
                }
                replace.executeUpdate();
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(10L << attempt); // 20, 40, 80, 160 ms: the other transaction finishes meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoveAbort("interrupted while applying the binlog", e);
        }
    }

    private static boolean sameKey(ShopTable table, Serializable[] a, Serializable[] b) {
        for (int i : table.primaryKeyIndexes()) {
            if (!Objects.deepEquals(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    private PreparedStatement prepare(String sql) {
        try {
            return target.prepareStatement(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * From now on, records the key of every row this applier writes or removes (at most
     * {@code limit}): the rows a verification of the live shop must look at again.
     */
    public ChangedKeys trackChanges(int limit) {
        ChangedKeys keys = new ChangedKeys(limit);
        changedKeys = keys;
        return keys;
    }

    /** Position after the last transaction committed on the target. */
    public GtidPosition applied() {
        return applied;
    }

    /** The source commit time of the last applied transaction (0 before the first). */
    public long appliedTimestampMillis() {
        return appliedTimestampMillis;
    }

    public long appliedTransactions() {
        return transactions;
    }

    public long appliedRows() {
        return rows;
    }

    @Override
    public void close() throws SQLException {
        target.close();
    }
}
