package dev.cellshop.control.mover;

import static dev.cellshop.control.mover.ShopTable.quote;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The SQL the mover runs on one shop's rows of a table; pure text, so every statement is
 * unit-tested. Key ranges are written as expanded comparisons
 * ({@code a > ? OR (a = ? AND b > ?)}) rather than row constructors, which MariaDB's range
 * optimizer does not always turn into an index range.
 */
public final class ShopQueries {

    private final ShopTable table;

    public ShopQueries(ShopTable table) {
        this.table = table;
    }

    /** A statement and the values of its placeholders, in order. */
    public record Bound(String sql, List<Object> parameters) {
    }

    /**
     * The next batch of the shop's rows after {@code cursor}, in key order, locked on the
     * source until the batch is written to the target (see {@link RowCopier} for why). Each
     * row comes as its key columns (for the cursor) and then every column in table order,
     * which {@link #insertIgnore()} takes as parameters: values are never spliced into SQL
     * text, so what a value holds (quotes, backslashes, a NUL, SQL) and the target's sql_mode
     * ({@code NO_BACKSLASH_ESCAPES}) cannot change what is written.
     */
    public Bound nextBatch(long shopId, KeyCursor cursor, int limit) {
        List<Object> params = new ArrayList<>();
        params.add(shopId);
        String where = quote(ShopTable.SHOP_COLUMN) + " = ?" + after(cursor, params);
        List<String> select = new ArrayList<>();
        table.keyAfterShop().forEach(k -> select.add(quote(k)));
        select.add(table.quotedColumns());
        return new Bound("SELECT " + String.join(", ", select) + " FROM " + table.quotedName() + " WHERE " + where
                + " ORDER BY " + orderBy() + " LIMIT " + limit + " FOR UPDATE", params);
    }

    /**
     * The copy's write of one row, batched (the driver sends a batch as multi-row INSERTs): a
     * row already on the target was put there by the binlog applier and is at least as new.
     * The copy binds each value as the bytes the source stored (a binary string, which a
     * column keeps as it comes: see {@link TableCopy}).
     */
    public String insertIgnore() {
        return "INSERT IGNORE INTO " + table.quotedName() + " (" + table.quotedColumns() + ") VALUES (" + placeholders() + ")";
    }

    /** The applier's write of an after image: the row ends exactly as the source had it. */
    public String upsert() {
        List<String> sets = new ArrayList<>();
        for (String column : table.columnNames()) {
            if (!table.primaryKey().contains(column)) {
                sets.add(quote(column) + " = VALUES(" + quote(column) + ")");
            }
        }
        String update = sets.isEmpty() ? quote(ShopTable.SHOP_COLUMN) + " = " + quote(ShopTable.SHOP_COLUMN) : String.join(", ", sets);
        return "INSERT INTO " + table.quotedName() + " (" + table.quotedColumns() + ") VALUES (" + placeholders() + ")"
                + " ON DUPLICATE KEY UPDATE " + update;
    }

    /** The applier's write of an after image that collides on a secondary unique key (see {@link ChangeApplier}). */
    public String replace() {
        return "REPLACE INTO " + table.quotedName() + " (" + table.quotedColumns() + ") VALUES (" + placeholders() + ")";
    }

    /** Delete by the full primary key; placeholders in {@link ShopTable#primaryKey()} order. */
    public String deleteByKey() {
        return "DELETE FROM " + table.quotedName() + " WHERE "
                + String.join(" AND ", table.primaryKey().stream().map(c -> quote(c) + " = ?").toList());
    }

    /**
     * The key of the row that ends a verification chunk: the {@code size}-th row after
     * {@code cursor}; none means the rest of the shop's rows fit in one chunk.
     */
    public Bound chunkEnd(long shopId, KeyCursor cursor, int size) {
        List<Object> params = new ArrayList<>();
        params.add(shopId);
        String where = quote(ShopTable.SHOP_COLUMN) + " = ?" + after(cursor, params);
        String key = String.join(", ", table.keyAfterShop().stream().map(ShopTable::quote).toList());
        return new Bound("SELECT " + key + " FROM " + table.quotedName() + " WHERE " + where + " ORDER BY " + orderBy()
                + " LIMIT 1 OFFSET " + (size - 1), params);
    }

    /**
     * Row count and a 64-bit order-independent checksum of the shop's rows in (after, upTo]
     * ({@code upTo} null: to the end). Each row hashes all its columns with a NULL marker
     * per column, so NULL and '' differ (the pt-table-checksum recipe).
     */
    public Bound checksum(long shopId, KeyCursor after, KeyCursor upTo) {
        List<Object> params = new ArrayList<>();
        params.add(shopId);
        String where = quote(ShopTable.SHOP_COLUMN) + " = ?" + after(after, params) + upTo(upTo, params);
        return new Bound(checksumOf(where), params);
    }

    /**
     * The same count and checksum over the rows with these {@code keys} full primary keys
     * (placeholders: each key's values in {@link ShopTable#primaryKey()} order, key after key;
     * the caller binds them, as they come from the binlog).
     */
    public String checksumOfKeys(int keys) {
        String one = "(" + String.join(" AND ", table.primaryKey().stream().map(c -> quote(c) + " = ?").toList()) + ")";
        return checksumOf(String.join(" OR ", Collections.nCopies(keys, one)));
    }

    private String checksumOf(String where) {
        List<String> parts = new ArrayList<>();
        for (String column : table.columnNames()) {
            parts.add(quote(column));
            parts.add("ISNULL(" + quote(column) + ")");
        }
        String row = "CONCAT_WS('#', " + String.join(", ", parts) + ")";
        return "SELECT COUNT(*), COALESCE(BIT_XOR(CAST(CONV(LEFT(MD5(" + row + "), 16), 16, 10) AS UNSIGNED)), 0)"
                + " FROM " + table.quotedName() + " WHERE " + where;
    }

    /** The rows of the shop (an estimate is good enough for progress; this one is exact and uses the key range). */
    public Bound count(long shopId) {
        return new Bound("SELECT COUNT(*) FROM " + table.quotedName() + " WHERE " + quote(ShopTable.SHOP_COLUMN) + " = ?", List.of(shopId));
    }

    private String orderBy() {
        return String.join(", ", table.primaryKey().stream().map(ShopTable::quote).toList());
    }

    private String placeholders() {
        return String.join(", ", table.columns().stream().map(c -> "?").toList());
    }

    /** {@code AND (key after shop_id) > cursor}, nothing at the start. */
    private String after(KeyCursor cursor, List<Object> params) {
        return cursor.atStart() ? "" : " AND " + compare(cursor, ">", ">", params);
    }

    private String upTo(KeyCursor cursor, List<Object> params) {
        return cursor == null || cursor.atStart() ? "" : " AND " + compare(cursor, "<", "<=", params);
    }

    /** (k1, k2, ..) op (v1, v2, ..) in lexicographic order, as ORs of equal prefixes; lastOp on the last column. */
    private String compare(KeyCursor cursor, String op, String lastOp, List<Object> params) {
        List<String> key = table.keyAfterShop();
        if (key.isEmpty()) {
            // one row per shop at most: nothing comes after it, and everything is up to it
            return op.equals(">") ? "FALSE" : "TRUE";
        }
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            List<String> terms = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                terms.add(quote(key.get(j)) + " = ?");
                params.add(cursor.values().get(j));
            }
            terms.add(quote(key.get(i)) + " " + (i == key.size() - 1 ? lastOp : op) + " ?");
            params.add(cursor.values().get(i));
            alternatives.add(terms.size() == 1 ? terms.get(0) : "(" + String.join(" AND ", terms) + ")");
        }
        return alternatives.size() == 1 ? alternatives.get(0) : "(" + String.join(" OR ", alternatives) + ")";
    }
}
