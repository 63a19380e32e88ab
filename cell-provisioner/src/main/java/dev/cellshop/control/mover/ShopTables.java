package dev.cellshop.control.mover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the shop-owned tables of a cell's schema in information_schema: every table with a
 * {@code shop_id} column (others, e.g. Flyway's history, belong to the cell, not a shop),
 * except the outbox and the fences ({@link #NOT_MOVED}).
 * A shop table whose primary key does not lead with shop_id, or with a column type the
 * binlog path cannot carry faithfully, refuses the move up front rather than half way.
 * The order is dependency-safe: a table referenced by a foreign key comes before the
 * tables referencing it, then by name.
 */
public final class ShopTables {

    // the types whose binlog image the applier writes back exactly (unsigned integers come
    // out of the binlog as signed: ShopTable.Column#fromBinlog widens them)
    private static final Set<String> SUPPORTED_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint", "decimal",
            "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "binary", "varbinary", "tinyblob", "blob",
            "mediumblob", "longblob", "timestamp", "datetime");

    /**
     * Shop tables whose rows stay with the cell: the outbox holds events not yet published,
     * which the source's relay publishes (and deletes) before the switch (the cutover waits
     * for it); after it, new events are written on the target. Copying them would let the
     * target's relay publish them a second time, and its deletes contend with the applier.
     * A shop's fence row belongs to each cell: the cutover writes it on both sides itself, and
     * the source's (FROZEN) must outlive the erasure of the shop's other rows there.
     */
    static final Set<String> NOT_MOVED = Set.of("outbox", "shop_fences");

    private ShopTables() {
    }

    public static List<ShopTable> discover(Connection c, String schema) throws SQLException {
        Map<String, List<ShopTable.Column>> columns = new TreeMap<>();
        Map<String, String> unsupported = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    String type = rs.getString(3).toLowerCase();
                    boolean unsigned = rs.getString(4).toLowerCase().contains("unsigned");
                    columns.computeIfAbsent(table, t -> new ArrayList<>()).add(new ShopTable.Column(rs.getString(2), type, unsigned));
                    if (!SUPPORTED_TYPES.contains(type)) {
                        unsupported.merge(table, rs.getString(2) + " " + rs.getString(4), (a, b) -> a + ", " + b);
                    }
                }
            }
        }
        Map<String, List<String>> keys = primaryKeys(c, schema);
        Map<String, ShopTable> tables = new LinkedHashMap<>();
        for (var e : columns.entrySet()) {
            String table = e.getKey();
            if (e.getValue().stream().noneMatch(col -> col.name().equals(ShopTable.SHOP_COLUMN)) || NOT_MOVED.contains(table)) {
                continue;
            }
            if (unsupported.containsKey(table)) {
                throw new MoveAbort("table " + table + " cannot be moved: unsupported column type(s) " + unsupported.get(table));
            }
            try {
                tables.put(table, new ShopTable(table, e.getValue(), keys.getOrDefault(table, List.of())));
            } catch (IllegalArgumentException badKey) {
                throw new MoveAbort(badKey.getMessage());
            }
        }
        return dependencyOrder(tables, references(c, schema));
    }

    private static Map<String, List<String>> primaryKeys(Connection c, String schema) throws SQLException {
        Map<String, List<String>> keys = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE"
                + " WHERE TABLE_SCHEMA = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return keys;
    }

    /** table → the tables it references by foreign key. */
    private static Map<String, Set<String>> references(Connection c, String schema) throws SQLException {
        Map<String, Set<String>> refs = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT TABLE_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = ? AND UNIQUE_CONSTRAINT_SCHEMA = ?")) {
            s.setString(1, schema);
            s.setString(2, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    refs.computeIfAbsent(rs.getString(1), t -> new TreeSet<>()).add(rs.getString(2));
                }
            }
        }
        return refs;
    }

    /** Parents first (depth-first over references), ties by name; a reference cycle cannot be ordered and refuses the move. */
    static List<ShopTable> dependencyOrder(Map<String, ShopTable> tables, Map<String, Set<String>> references) {
        List<ShopTable> ordered = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String table : new TreeSet<>(tables.keySet())) {
            visit(table, tables, references, done, new TreeSet<>(), ordered);
        }
        return ordered;
    }

    private static void visit(String table, Map<String, ShopTable> tables, Map<String, Set<String>> references,
                              Set<String> done, Set<String> path, List<ShopTable> ordered) {
        if (done.contains(table) || !tables.containsKey(table)) {
            return;
        }
        if (!path.add(table)) {
            throw new MoveAbort("tables " + path + " reference each other in a cycle: no copy order keeps their foreign keys");
        }
        for (String parent : new TreeSet<>(references.getOrDefault(table, Set.of()))) {
            if (!parent.equals(table)) {
                visit(parent, tables, references, done, path, ordered);
            }
        }
        path.remove(table);
        done.add(table);
        ordered.add(tables.get(table));
    }
}
