/**
 * The shop mover, cut like Ghostferry: one class per moving part, {@link dev.cellshop.control.mover.MoveRunner}
 * only wiring them.
 * <pre>
 * ShopTables      which tables a shop owns (shop_id leads the key), in dependency order
 * BinlogStreamer  source binlog from a GTID position -> ShopTransaction per source transaction
 * ChangeApplier   ShopTransactions -> one target transaction (upsert / delete by key; group commit)
 * ChangedKeys     keys the applier committed, numbered by commit: what a verification must look at again
 * ApplyLoop       streamer -> applier on its own thread; the first DDL / failure stops it
 * RowCopier       the shop's rows in key batches, tables in parallel; TableCopy per table
 * Verifier        chunked count + checksum of the shop's rows on both sides; live pass, narrowing, confirmation
 * Cutover         freeze -> quiesce -> outbox drained -> apply to head -> confirm -> carts, cache -> switch
 * CheckpointStore /cellshop/moves/{id}, every write a compare-and-set
 * MoveRunner      COPYING -> CATCHING_UP -> CAUGHT_UP, or ABORTED with a reason
 * </pre>
 *
 * <h2>Why source and target end equal</h2>
 * Let P be the source's GTID position read before the copy starts, and for each row of the
 * shop consider the writes that reach the target: copy inserts (at most one per row and
 * run) and binlog replays of every change after P, in commit order.
 * <ol>
 * <li>Every change after P is replayed, in order, as the after image or a delete by key
 *     (the tail starts at P; the applied position moves only after a target commit).</li>
 * <li>A copied row is read with {@code FOR UPDATE} and stays locked until the target
 *     committed it, so every change to it committed later on the source reaches the
 *     applier only after the copied row is on the target, and overwrites it.</li>
 * <li>The copy never overwrites ({@code INSERT IGNORE}): a row already on the target came
 *     from a replayed change, and the rest of that row's changes are still to be replayed.</li>
 * </ol>
 * So the last write each row gets on the target is either the replay of its last change
 * (the source's state) or, for a row with no change after its copy, the copy (also the
 * source's state). A resume restarts the tail at the saved applied position and the copy
 * at the saved cursors; both writes are idempotent, so what happened after the last save
 * is simply done again. While the copy runs the target is not a snapshot of the source,
 * which is why the applier resolves a secondary unique key in the way with REPLACE (see
 * {@link dev.cellshop.control.mover.ChangeApplier}), and why a verification of the live
 * shop only names suspects: the rows that differed, and those changed after it read them
 * ({@link dev.cellshop.control.mover.ChangedKeys}). Only the frozen shop's confirmation of
 * the suspects decides (see {@link dev.cellshop.control.mover.Verifier}).
 */
package dev.cellshop.control.mover;
