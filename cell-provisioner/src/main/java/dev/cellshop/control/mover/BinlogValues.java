package dev.cellshop.control.mover;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Turns a binlog image value into a JDBC parameter. The streamer decodes strings and
 * binaries as raw bytes (bound as {@code _binary}, so the target stores exactly the
 * source's bytes whatever the charset) and temporal values as epoch microseconds, written
 * as UTC date-time text into the UTC sessions of {@link CellMysql}.
 */
final class BinlogValues {

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private BinlogValues() {
    }

    static void bind(PreparedStatement statement, int index, ShopTable.Column column, Serializable binlogValue) throws SQLException {
        Serializable value = column.fromBinlog(binlogValue);
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else if (column.temporal() && value instanceof Long micros) {
            statement.setString(index, utcDateTime(micros));
        } else {
            statement.setObject(index, value);
        }
    }

    /** As text, like {@link RowCopier#read}: a bound date-time would lose its fraction on MariaDB. */
    static String utcDateTime(long epochMicros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                (int) Math.floorMod(epochMicros, 1_000_000L) * 1000, ZoneOffset.UTC).format(MICROS);
    }
}
