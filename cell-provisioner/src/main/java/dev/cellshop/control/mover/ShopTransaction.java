package dev.cellshop.control.mover;

import java.util.List;

/**
 * One source transaction as the applier takes it, in commit order: its GTID, its commit
 * time (binlog header, ms), and the moving shop's row changes in it — empty for a
 * transaction of other shops, which still advances the applied position. A DDL on a
 * moving table arrives as a transaction with an {@code abortReason} and no changes.
 */
public record ShopTransaction(GtidPosition.Gtid gtid, long timestampMillis, List<RowChange> changes, String abortReason) {

    public ShopTransaction {
        changes = List.copyOf(changes);
    }
}
