package dev.cellshop.control.mover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proves the shop's rows are the same on both cells: per table, the shop's key range is cut
 * into chunks of {@code chunkSize} rows (boundaries read on the source), and each chunk's
 * row count and 64-bit checksum ({@link ShopQueries#checksum}) are compared. The chunks
 * cover the whole key space (the last one is open-ended), so a row only the target has is
 * found too. Meant for a quiet shop (cutover, or after the writers stopped): a row changing
 * between the two sides' reads shows as a difference.
 */
public final class Verifier {

    /** One table's totals on the source. */
    public record TableSum(String table, long rows, int chunks) {
    }

    /** The first chunk that differs: its key range (exclusive start, inclusive end; null end = to the last row). */
    public record Difference(String table, KeyCursor after, KeyCursor upTo, long sourceRows, long targetRows,
                             long sourceChecksum, long targetChecksum) {

        @Override
        public String toString() {
            return "table " + table + " keys after " + after.values() + " up to " + (upTo == null ? "the end" : upTo.values())
                    + ": source " + sourceRows + " rows (checksum " + Long.toUnsignedString(sourceChecksum) + "), target "
                    + targetRows + " rows (checksum " + Long.toUnsignedString(targetChecksum) + ")";
        }
    }

    public record Result(List<TableSum> tables, Optional<Difference> difference) {

        public boolean equal() {
            return difference.isEmpty();
        }
    }

    private final CellMysql source;
    private final CellMysql target;
    private final long shopId;
    private final int chunkSize;

    public Verifier(CellMysql source, CellMysql target, long shopId, int chunkSize) {
        this.source = source;
        this.target = target;
        this.shopId = shopId;
        this.chunkSize = chunkSize;
    }

    public Result verify(List<ShopTable> tables) throws SQLException {
        List<TableSum> sums = new ArrayList<>();
        try (Connection src = source.connect(); Connection dst = target.connect()) {
            for (ShopTable table : tables) {
                ShopQueries queries = new ShopQueries(table);
                KeyCursor after = KeyCursor.START;
                long rows = 0;
                int chunks = 0;
                while (true) {
                    KeyCursor upTo = chunkEnd(src, table, queries, after);
                    long[] s = checksum(src, queries.checksum(shopId, after, upTo));
                    long[] t = checksum(dst, queries.checksum(shopId, after, upTo));
                    chunks++;
                    rows += s[0];
                    if (s[0] != t[0] || s[1] != t[1]) {
                        sums.add(new TableSum(table.name(), rows, chunks));
                        return new Result(sums, Optional.of(new Difference(table.name(), after, upTo, s[0], t[0], s[1], t[1])));
                    }
                    if (upTo == null) {
                        break;
                    }
                    after = upTo;
                }
                sums.add(new TableSum(table.name(), rows, chunks));
            }
        }
        return new Result(sums, Optional.empty());
    }

    private KeyCursor chunkEnd(Connection c, ShopTable table, ShopQueries queries, KeyCursor after) throws SQLException {
        if (table.keyAfterShop().isEmpty()) {
            return null;
        }
        ShopQueries.Bound end = queries.chunkEnd(shopId, after, chunkSize);
        try (PreparedStatement s = c.prepareStatement(end.sql())) {
            RowCopier.bind(s, end.parameters());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<Object> key = new ArrayList<>();
                for (int i = 0; i < table.keyAfterShop().size(); i++) {
                    key.add(RowCopier.keyValue(table.column(table.keyAfterShop().get(i)), rs, i + 1));
                }
                return new KeyCursor(key);
            }
        }
    }

    private static long[] checksum(Connection c, ShopQueries.Bound sum) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sum.sql())) {
            RowCopier.bind(s, sum.parameters());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getBigDecimal(2).longValue()};
            }
        }
    }
}
