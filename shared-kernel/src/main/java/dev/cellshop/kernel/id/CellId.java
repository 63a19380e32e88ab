package dev.cellshop.kernel.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Pattern;

/**
 * A cell's name, e.g. {@code cell-a}.
 *
 * <p>The name ends up in ZooKeeper paths, file and directory names of the local platform
 * and Prometheus label values, so it is restricted to what is safe in all three: lower-case
 * letters, digits and inner hyphens, starting with a letter, at most 32 characters.
 */
public record CellId(String value) implements Comparable<CellId> {

    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public CellId {
        if (value == null) {
            throw new IllegalArgumentException("Missing cell id");
        }
        if (!VALID.matcher(value).matches() || value.endsWith("-")) {
            throw new IllegalArgumentException("Invalid cell id '" + value
                    + "': must be 1-32 characters of a-z, 0-9 and '-', start with a letter and not end with '-'");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CellId of(String value) {
        return new CellId(value);
    }

    @Override
    public int compareTo(CellId other) {
        return value.compareTo(other.value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
