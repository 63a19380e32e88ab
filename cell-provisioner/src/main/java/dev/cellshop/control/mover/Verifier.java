package dev.cellshop.control.mover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Proves the shop's rows are the same on both cells: per table, the shop's key range is cut
 * into chunks of {@code chunkSize} rows (boundaries read on the source), and each chunk's
 * row count and 64-bit checksum ({@link ShopQueries#checksum}) are compared. The chunks
 * cover the whole key space (the last one is open-ended), so a row only the target has is
 * found too.
 *
 * <p>Two ways to use it. {@link #verify} on a quiet shop: any difference is real. Or, so the
 * cutover's pause does not grow with the shop's size (Ghostferry's inline verification):
 * {@link #verifyLive} while the shop still takes writes and the applier still runs, noting
 * the chunks that differ (rows changing while read); then, still live, {@link #narrow} those
 * and the rows the applier touched since ({@link ChangedKeys}) to the ones that differ now,
 * a few rounds; in the pause {@link #confirm} only what is left and the rows touched since the
 * last round. Every other row was equal when read and has not changed on either side since
 * (the target is written by the applier alone), so it is still equal.
 */
public final class Verifier {

    private static final int KEYS_PER_QUERY = 100;

    /** One table's totals on the source. */
    public record TableSum(String table, long rows, int chunks) {
    }

    /** The keys after {@code after} up to {@code upTo} (inclusive; null: to the last row) of one table. */
    public record Chunk(ShopTable table, KeyCursor after, KeyCursor upTo) {

        String describe() {
            return "keys after " + after.values() + " up to " + (upTo == null ? "the end" : upTo.values());
        }
    }

    /** The first rows found to differ, named by their key range or key. */
    public record Difference(String table, String rows, long sourceRows, long targetRows, long sourceChecksum, long targetChecksum) {

        @Override
        public String toString() {
            return "table " + table + " " + rows + ": source " + sourceRows + " rows (checksum " + Long.toUnsignedString(sourceChecksum)
                    + "), target " + targetRows + " rows (checksum " + Long.toUnsignedString(targetChecksum) + ")";
        }
    }

    public record Result(List<TableSum> tables, Optional<Difference> difference) {

        public boolean equal() {
            return difference.isEmpty();
        }

        public long rows() {
            return tables.stream().mapToLong(TableSum::rows).sum();
        }
    }

    /**
     * A pass over the live shop: the totals and the chunks that differed. Not complete when
     * more chunks differed than allowed: the pass stopped, and only {@link #verify} can decide.
     */
    public record Live(List<TableSum> tables, List<Chunk> differing, boolean complete) {
    }

    /** Rows to compare again: key ranges, and single rows by their primary key. */
    public record Suspects(List<Chunk> chunks, Map<ShopTable, List<ChangedKeys.RowKey>> keys) {

        public Suspects {
            chunks = List.copyOf(chunks);
            keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        }

        /** These and the given keys, each key once. */
        public Suspects plus(Map<ShopTable, List<ChangedKeys.RowKey>> more) {
            Map<ShopTable, Set<ChangedKeys.RowKey>> union = new LinkedHashMap<>();
            keys.forEach((table, k) -> union.computeIfAbsent(table, t -> new LinkedHashSet<>()).addAll(k));
            more.forEach((table, k) -> union.computeIfAbsent(table, t -> new LinkedHashSet<>()).addAll(k));
            Map<ShopTable, List<ChangedKeys.RowKey>> merged = new LinkedHashMap<>();
            union.forEach((table, k) -> merged.put(table, List.copyOf(k)));
            return new Suspects(chunks, merged);
        }

        public int keyCount() {
            return keys.values().stream().mapToInt(List::size).sum();
        }
    }

    private record Sum(long rows, long checksum) {
    }

    /** What the walk does with a chunk whose sums differ; false stops the walk. */
    private interface OnDifference {
        boolean next(Chunk chunk, Sum source, Sum target);
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

    /** Every chunk of every table compared; stops at the first difference. */
    public Result verify(List<ShopTable> tables) throws SQLException {
        Difference[] first = {null};
        List<TableSum> sums = walk(tables, (chunk, s, t) -> {
            first[0] = difference(chunk.table(), chunk.describe(), s, t);
            return false;
        });
        return new Result(sums, Optional.ofNullable(first[0]));
    }

    /** Every chunk compared while the shop changes; at most {@code maxDiffering} differing chunks are kept. */
    public Live verifyLive(List<ShopTable> tables, int maxDiffering) throws SQLException {
        List<Chunk> differing = new ArrayList<>();
        List<TableSum> sums = walk(tables, (chunk, s, t) -> {
            differing.add(chunk);
            return differing.size() < maxDiffering;
        });
        return new Live(sums, differing, differing.size() < maxDiffering);
    }

    /**
     * While the shop still takes writes: of the suspects, those that differ now. The others
     * were equal when read here; if they change after that, their keys show in a later
     * {@link ChangedKeys#since}.
     */
    public Suspects narrow(Suspects suspects) throws SQLException {
        List<Chunk> chunks = new ArrayList<>();
        Map<ShopTable, List<ChangedKeys.RowKey>> keys = new LinkedHashMap<>();
        compare(suspects, (chunk, s, t) -> chunks.add(chunk),
                (table, key, s, t) -> keys.computeIfAbsent(table, x -> new ArrayList<>()).add(key));
        return new Suspects(chunks, keys);
    }

    /** On the quiet shop: every suspect equal on both sides, or the first that differs. */
    public Result confirm(List<TableSum> sums, Suspects suspects) throws SQLException {
        Difference[] first = {null};
        compare(suspects, (chunk, s, t) -> {
            if (first[0] == null) {
                first[0] = difference(chunk.table(), chunk.describe(), s, t);
            }
        }, (table, key, s, t) -> {
            if (first[0] == null) {
                first[0] = difference(table, "key " + key, s, t);
            }
        });
        return new Result(sums, Optional.ofNullable(first[0]));
    }

    private interface ChunkDiffers {
        void found(Chunk chunk, Sum source, Sum target);
    }

    private interface KeyDiffers {
        void found(ShopTable table, ChangedKeys.RowKey key, Sum source, Sum target);
    }

    private void compare(Suspects suspects, ChunkDiffers chunkDiffers, KeyDiffers keyDiffers) throws SQLException {
        try (Connection src = source.connect(); Connection dst = target.connect()) {
            for (Chunk chunk : suspects.chunks()) {
                ShopQueries.Bound sum = new ShopQueries(chunk.table()).checksum(shopId, chunk.after(), chunk.upTo());
                Sum s = sum(src, sum);
                Sum t = sum(dst, sum);
                if (!s.equals(t)) {
                    chunkDiffers.found(chunk, s, t);
                }
            }
            for (Map.Entry<ShopTable, List<ChangedKeys.RowKey>> entry : suspects.keys().entrySet()) {
                ShopTable table = entry.getKey();
                List<ChangedKeys.RowKey> keys = entry.getValue();
                for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
                    List<ChangedKeys.RowKey> batch = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
                    if (sum(src, table, batch).equals(sum(dst, table, batch))) {
                        continue;
                    }
                    for (ChangedKeys.RowKey key : batch) { // find the rows
                        Sum s = sum(src, table, List.of(key));
                        Sum t = sum(dst, table, List.of(key));
                        if (!s.equals(t)) {
                            keyDiffers.found(table, key, s, t);
                        }
                    }
                }
            }
        }
    }

    private List<TableSum> walk(List<ShopTable> tables, OnDifference onDifference) throws SQLException {
        List<TableSum> sums = new ArrayList<>();
        try (Connection src = source.connect(); Connection dst = target.connect()) {
            for (ShopTable table : tables) {
                ShopQueries queries = new ShopQueries(table);
                KeyCursor after = KeyCursor.START;
                long rows = 0;
                int chunks = 0;
                while (true) {
                    KeyCursor upTo = chunkEnd(src, table, queries, after);
                    Sum s = sum(src, queries.checksum(shopId, after, upTo));
                    Sum t = sum(dst, queries.checksum(shopId, after, upTo));
                    chunks++;
                    rows += s.rows();
                    if (!s.equals(t) && !onDifference.next(new Chunk(table, after, upTo), s, t)) {
                        sums.add(new TableSum(table.name(), rows, chunks));
                        return sums;
                    }
                    if (upTo == null) {
                        break;
                    }
                    after = upTo;
                }
                sums.add(new TableSum(table.name(), rows, chunks));
            }
        }
        return sums;
    }

    private static Difference difference(ShopTable table, String rows, Sum s, Sum t) {
        return new Difference(table.name(), rows, s.rows(), t.rows(), s.checksum(), t.checksum());
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

    private static Sum sum(Connection c, ShopQueries.Bound sum) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sum.sql())) {
            RowCopier.bind(s, sum.parameters());
            return read(s);
        }
    }

    private static Sum sum(Connection c, ShopTable table, List<ChangedKeys.RowKey> keys) throws SQLException {
        List<String> key = table.primaryKey();
        try (PreparedStatement s = c.prepareStatement(new ShopQueries(table).checksumOfKeys(keys.size()))) {
            int p = 1;
            for (ChangedKeys.RowKey k : keys) {
                for (int i = 0; i < key.size(); i++) {
                    BinlogValues.bind(s, p++, table.column(key.get(i)), k.values()[i]);
                }
            }
            return read(s);
        }
    }

    private static Sum read(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            rs.next();
            return new Sum(rs.getLong(1), rs.getBigDecimal(2).longValue());
        }
    }
}
