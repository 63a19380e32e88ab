package dev.cellshop.control.mover;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Turns a binlog image value into a JDBC parameter. The streamer decodes strings and
 * binaries as raw bytes (bound as {@code _binary}, so the target stores exactly the
 * source's bytes whatever the charset) and temporal values as epoch microseconds, written
 * as UTC local date-times into the UTC sessions of {@link CellMysql}.
 */
final class BinlogValues {

    private BinlogValues() {
    }

    static void bind(PreparedStatement statement, int index, ShopTable.Column column, Serializable value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else if (column.temporal() && value instanceof Long micros) {
            statement.setObject(index, utcDateTime(micros));
        } else {
            statement.setObject(index, value);
        }
    }

    static LocalDateTime utcDateTime(long epochMicros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                (int) Math.floorMod(epochMicros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }
}
