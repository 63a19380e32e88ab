package dev.cellshop.control.mover;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.Map;

import java.util.List;

/**
 * A shop-owned table as the mover sees it: its columns in table order (the order of the
 * binlog's row images) with their types, and its primary key, which leads with
 * {@code shop_id} so one shop's rows are one contiguous key range.
 */
public record ShopTable(String name, List<Column> columns, List<String> primaryKey) {

    public static final String SHOP_COLUMN = "shop_id";

    /**
     * {@code dataType} is information_schema's DATA_TYPE (e.g. {@code bigint}, {@code varchar},
     * {@code timestamp}); {@code unsigned} from its COLUMN_TYPE.
     */
    public record Column(String name, String dataType, boolean unsigned) {

        private static final Map<String, Integer> INTEGER_BITS = Map.of("tinyint", 8, "smallint", 16, "mediumint", 24, "int", 32,
                "bigint", 64);

        public Column(String name, String dataType) {
            this(name, dataType, false);
        }

        /**
         * A value as the binlog decoded it, made right for this column: the binlog carries
         * integers without their signedness, so an unsigned column's value above the signed
         * range arrives negative and is widened back (BIGINT past 2^63 as a BigInteger).
         */
        public Serializable fromBinlog(Serializable value) {
            Integer bits = INTEGER_BITS.get(dataType);
            if (!unsigned || bits == null || !(value instanceof Number n) || n.longValue() >= 0) {
                return value;
            }
            if (bits == 64) {
                return new BigInteger(Long.toUnsignedString(n.longValue()));
            }
            return n.longValue() & ((1L << bits) - 1);
        }

        public boolean temporal() {
            return dataType.equals("timestamp") || dataType.equals("datetime");
        }

        public boolean textual() {
            return dataType.endsWith("char") || dataType.endsWith("text");
        }

        public boolean binary() {
            return dataType.equals("binary") || dataType.equals("varbinary") || dataType.endsWith("blob");
        }
    }

    public ShopTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        if (primaryKey.isEmpty() || !primaryKey.get(0).equals(SHOP_COLUMN)) {
            throw new IllegalArgumentException("table " + name + " cannot be moved: its primary key " + primaryKey
                    + " does not lead with " + SHOP_COLUMN);
        }
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** The key columns after shop_id: the cursor of a copy within one shop. */
    public List<String> keyAfterShop() {
        return primaryKey.subList(1, primaryKey.size());
    }

    public int columnIndex(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("table " + name + " has no column " + column);
    }

    public Column column(String column) {
        return columns.get(columnIndex(column));
    }

    public int[] primaryKeyIndexes() {
        return primaryKey.stream().mapToInt(this::columnIndex).toArray();
    }

    /** A name quoted for SQL (names come from information_schema, never from a request). */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    public String quotedName() {
        return quote(name);
    }

    public String quotedColumns() {
        return String.join(", ", columns.stream().map(c -> quote(c.name())).toList());
    }
}
