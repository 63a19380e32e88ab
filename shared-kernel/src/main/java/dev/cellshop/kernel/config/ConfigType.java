package dev.cellshop.kernel.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a setting's text becomes a value. {@link #parse} throws with the reason when it cannot. */
public enum ConfigType {
    STRING,
    /** A string never echoed back (tokens, passwords): errors and docs show it hidden. */
    SECRET,
    INT,
    LONG,
    /** Strictly {@code true} or {@code false}: "yes" or "1" is more likely a mistake than a wish. */
    BOOLEAN,
    /** A number with a unit: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}. */
    DURATION,
    /** A TCP port, 1..65535. */
    PORT,
    /** Comma-separated, each element trimmed, empty elements dropped. */
    LIST;

    private static final Pattern DURATION_TEXT = Pattern.compile("([0-9]{1,15})(ms|s|m|h|d)");

    public Object parse(String raw) {
        String text = this == STRING || this == SECRET ? raw : raw.trim();
        return switch (this) {
            case STRING, SECRET -> text;
            case INT -> parseLong(text, Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer").intValue();
            case LONG -> parseLong(text, Long.MIN_VALUE, Long.MAX_VALUE, "a whole number");
            case BOOLEAN -> parseBoolean(text);
            case DURATION -> parseDuration(text);
            case PORT -> parseLong(text, 1, 65535, "a port number 1..65535").intValue();
            case LIST -> text.isEmpty() ? List.of()
                    : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        };
    }

    /** The value as a person would write it, for documentation of defaults. */
    String format(Object value) {
        if (this == SECRET) {
            return "[hidden]";
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static Long parseLong(String text, long min, long max, String expected) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not " + expected);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("not " + expected);
        }
        return value;
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }

    private static Duration parseDuration(String text) {
        Matcher m = DURATION_TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration such as 250ms, 5s, 2m, 1h or 1d");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
