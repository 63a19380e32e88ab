package dev.cellshop.control.mover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes one shop's rows from one cell in small batches, children before parents: the
 * source's copy after a completed and verified move, or the target's partial copy after an
 * abort. Small batches with a pause between them keep each transaction short, so the cell's
 * other shops never wait long on its locks or its binlog.
 *
 * <p>Blocking: the mover's thread.
 */
public final class ShopEraser {

    private static final Logger LOG = LoggerFactory.getLogger(ShopEraser.class);

    /** Erasers with one batch size and pause, per cell. */
    public record Factory(int batchRows, Duration pause) {
        public ShopEraser on(CellMysql cell) {
            return new ShopEraser(cell, batchRows, pause);
        }
    }

    private final CellMysql cell;
    private final int batchRows;
    private final Duration pause;

    public ShopEraser(CellMysql cell, int batchRows, Duration pause) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchRows);
        }
        this.cell = cell;
        this.batchRows = batchRows;
        this.pause = pause;
    }

    /** Deletes every row of the shop in the tables (given parents first, as ShopTables orders them); returns the rows deleted. */
    public long erase(long shopId, List<ShopTable> tables) throws SQLException, InterruptedException {
        long deleted = 0;
        try (Connection c = cell.connect()) {
            c.setAutoCommit(true); // each batch its own short transaction
            for (int i = tables.size() - 1; i >= 0; i--) {
                ShopTable table = tables.get(i);
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM " + table.quotedName() + " WHERE shop_id = ? LIMIT " + batchRows)) {
                    delete.setLong(1, shopId);
                    int rows;
                    do {
                        rows = delete.executeUpdate();
                        deleted += rows;
                        if (rows == batchRows && !pause.isZero()) {
                            Thread.sleep(pause.toMillis());
                        }
                    } while (rows == batchRows);
                }
            }
        }
        LOG.info("event=shop_rows_erased cell_mysql={} shop={} rows={}", cell, shopId, deleted);
        return deleted;
    }
}
