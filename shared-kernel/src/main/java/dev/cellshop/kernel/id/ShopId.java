package dev.cellshop.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A shop, the unit of placement: every shop-owned row carries it as the first column of
 * its primary key.
 *
 * <p>In JSON it is written as a decimal string because shop ids come from
 * {@link IdGenerator} and exceed 2^53, beyond which JavaScript numbers lose digits. Reading
 * accepts a number too, for hand-written requests.
 */
public record ShopId(long value) implements Comparable<ShopId> {

    public ShopId {
        if (value <= 0) {
            throw new IllegalArgumentException("Invalid shop id " + value + ": must be positive");
        }
    }

    public static ShopId of(long value) {
        return new ShopId(value);
    }

    public static ShopId parse(String text) {
        if (!isCanonical(text)) {
            throw new IllegalArgumentException(describe(text)
                    + ": must be a positive decimal number without sign or leading zeros");
        }
        try {
            return new ShopId(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(describe(text) + ": larger than a 64-bit id", e);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ShopId fromJson(Object raw) {
        if (raw instanceof Integer || raw instanceof Long) {
            return of(((Number) raw).longValue());
        }
        if (raw instanceof String text) {
            return parse(text);
        }
        throw new IllegalArgumentException("Invalid shop id " + raw + ": expected a whole number or a decimal string");
    }

    @Override
    public int compareTo(ShopId other) {
        return Long.compare(value, other.value);
    }

    @JsonValue
    @Override
    public String toString() {
        return Long.toString(value);
    }

    // One canonical spelling, [1-9][0-9]{0,18} (no sign, no leading zeros), so a ZooKeeper
    // path and a header naming the same shop are always the same string. By hand, not by
    // regex: the router parses one per request.
    private static boolean isCanonical(String text) {
        if (text == null || text.isEmpty() || text.length() > 19 || text.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String describe(String text) {
        return text == null ? "Missing shop id" : "Invalid shop id '" + text + "'";
    }
}
