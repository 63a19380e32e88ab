package dev.cellshop.control.mover;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A move's checkpoint, the JSON of {@code /cellshop/moves/{moveId}}: enough for another
 * mover to resume it — each table's copy cursor (rows up to it are on the target), the
 * GTID the binlog tail started at and the one applied up to — plus the figures a progress
 * report shows. A resume restarts the tail at {@code appliedGtid}: applying is idempotent,
 * so transactions applied after the last save are harmlessly applied again. {@code owners}:
 * every control plane that ran the move, in the order they claimed it (checkpoints of moves
 * recorded before it was kept start with the owner of that time).
 */
public record MoveState(String moveId, long shopId, String sourceCell, String targetCell, MovePhase phase, String owner,
                        String startGtid, String appliedGtid, Map<String, TableCheckpoint> tables,
                        long appliedTransactions, String createdAt, String updatedAt, String abortReason, CutoverRecord cutover,
                        List<String> owners) {

    /** One table's copy: cursor JSON ({@link KeyCursor#toJson()}), rows copied, estimated total, done. */
    public record TableCheckpoint(JsonNode cursor, long copied, long estimated, boolean done) {
    }

    /**
     * What the cutover did: the epochs of the freeze and of the switch (0 until then), how long
     * the shop's requests were held, the tables and rows verified equal, the carts carried, and
     * when the freeze was written (ISO-8601 UTC; with the pause, the window routers held requests).
     */
    public record CutoverRecord(long frozenEpoch, long switchedEpoch, long pauseMillis, int tablesVerified, long rowsVerified,
                                int cartsCarried, String frozenAt) {
    }

    public MoveState {
        tables = tables == null ? Map.of() : Map.copyOf(new TreeMap<>(tables));
        owners = owners == null ? List.of() : List.copyOf(owners);
    }

    public static MoveState start(String moveId, long shopId, String sourceCell, String targetCell, String owner, GtidPosition start) {
        String now = Instant.now().toString();
        return new MoveState(moveId, shopId, sourceCell, targetCell, MovePhase.COPYING, owner, start.toString(), start.toString(),
                Map.of(), 0, now, now, null, null, List.of(owner));
    }

    public MoveState withTable(String table, TableCheckpoint checkpoint) {
        Map<String, TableCheckpoint> next = new TreeMap<>(tables);
        next.put(table, checkpoint);
        return new MoveState(moveId, shopId, sourceCell, targetCell, phase, owner, startGtid, appliedGtid, next,
                appliedTransactions, createdAt, now(), abortReason, cutover, owners);
    }

    public MoveState withApplied(GtidPosition applied, long transactions) {
        return new MoveState(moveId, shopId, sourceCell, targetCell, phase, owner, startGtid, applied.toString(), tables,
                transactions, createdAt, now(), abortReason, cutover, owners);
    }

    public MoveState withPhase(MovePhase next) {
        return new MoveState(moveId, shopId, sourceCell, targetCell, next, owner, startGtid, appliedGtid, tables,
                appliedTransactions, createdAt, now(), abortReason, cutover, owners);
    }

    /** Claimed by {@code next}: added to {@code owners} when it is not the last owner already. */
    public MoveState withOwner(String next) {
        List<String> history = new ArrayList<>(owners);
        if (history.isEmpty() && owner != null) {
            history.add(owner);
        }
        if (history.isEmpty() || !history.getLast().equals(next)) {
            history.add(next);
        }
        return new MoveState(moveId, shopId, sourceCell, targetCell, phase, next, startGtid, appliedGtid, tables,
                appliedTransactions, createdAt, now(), abortReason, cutover, history);
    }

    public MoveState aborted(String reason) {
        return new MoveState(moveId, shopId, sourceCell, targetCell, MovePhase.ABORTED, owner, startGtid, appliedGtid, tables,
                appliedTransactions, createdAt, now(), reason, cutover, owners);
    }

    public MoveState withCutover(MovePhase next, CutoverRecord record) {
        return new MoveState(moveId, shopId, sourceCell, targetCell, next, owner, startGtid, appliedGtid, tables,
                appliedTransactions, createdAt, now(), abortReason, record, owners);
    }

    private static String now() {
        return Instant.now().toString();
    }
}
