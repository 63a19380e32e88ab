package dev.cellshop.control.mover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * A position in one shop's rows of a table: the primary-key values after shop_id of the
 * last row copied, or {@link #START}, "before every row" — not 0, so ids ≤ 0 and string
 * keys are copied too. Saved in the move's checkpoint as JSON, typed back by the table's
 * columns (binary keys as base64, date-time keys as the server's UTC text).
 */
public record KeyCursor(List<Object> values) {

    public static final KeyCursor START = new KeyCursor(null);

    public KeyCursor {
        values = values == null ? null : Collections.unmodifiableList(new ArrayList<>(values));
    }

    public boolean atStart() {
        return values == null;
    }

    public JsonNode toJson() {
        if (values == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Object v : values) {
            if (v == null) {
                array.addNull();
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                array.add(((Number) v).longValue());
            } else if (v instanceof BigInteger big) { // BIGINT UNSIGNED past 2^63
                array.add(big);
            } else if (v instanceof byte[] bytes) {
                array.add(Base64.getEncoder().encodeToString(bytes));
            } else {
                array.add(v.toString());
            }
        }
        return array;
    }

    public static KeyCursor fromJson(ShopTable table, JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return START;
        }
        List<String> key = table.keyAfterShop();
        if (json.size() != key.size()) {
            throw new IllegalArgumentException("cursor " + json + " does not fit the key " + key + " of table " + table.name());
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            values.add(decode(table.column(key.get(i)), json.get(i)));
        }
        return new KeyCursor(values);
    }

    private static Object decode(ShopTable.Column column, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (column.binary()) {
            return Base64.getDecoder().decode(v.asText());
        }
        if (column.dataType().equals("decimal")) {
            return new BigDecimal(v.asText());
        }
        if (v.isBigInteger()) {
            return v.bigIntegerValue();
        }
        return v.isIntegralNumber() ? (Object) v.asLong() : v.asText();
    }
}
