package dev.cellshop.cell.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Writes a shop's fence row in a cell's shard ({@code shop_fences}, see V2__shop_fences.sql),
 * over JDBC: the control plane when it places a shop and when a move cuts over. The cell
 * runtime only reads it, inside each write transaction of the shop.
 *
 * <p>A fence only moves forward: a write with an older epoch than the row's changes nothing,
 * so a delayed or repeated step (a resumed cutover) can never reopen a cell the shop has left.
 */
public final class ShopFences {

    /** The states of a fence row, as the CHECK constraint names them. */
    public enum State { ACTIVE, FROZEN }

    // Assignments run left to right: the state is decided against the old epoch, then the epoch raised.
    private static final String RAISE = "INSERT INTO shop_fences (shop_id, epoch, state) VALUES (?, ?, ?)"
            + " ON DUPLICATE KEY UPDATE state = IF(VALUES(epoch) >= epoch, VALUES(state), state), epoch = GREATEST(epoch, VALUES(epoch))";

    private ShopFences() {
    }

    /**
     * Sets the shop's fence on this cell to {@code state} at {@code epoch} (unless it is already
     * at a newer epoch), in its own transaction. A FROZEN fence waits for the shop's write
     * transactions in flight to end, at most {@code lockWait} (then it fails and nothing changed).
     * Blocking: call off any event loop.
     */
    public static void raise(Connection c, long shopId, State state, long epoch, Duration lockWait) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        try (Statement session = c.createStatement()) {
            session.execute("SET SESSION innodb_lock_wait_timeout = " + Math.max(1, (lockWait.toMillis() + 999) / 1000));
            c.setAutoCommit(true);
            write(c, shopId, state, epoch);
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The same change inside the caller's transaction (a new shop's rows and its first fence, together). */
    public static void write(Connection c, long shopId, State state, long epoch) throws SQLException {
        try (PreparedStatement raise = c.prepareStatement(RAISE)) {
            raise.setLong(1, shopId);
            raise.setLong(2, epoch);
            raise.setString(3, state.name());
            raise.executeUpdate();
        }
    }
}
