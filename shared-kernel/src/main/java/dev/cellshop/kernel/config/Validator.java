package dev.cellshop.kernel.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A rule a parsed value must follow. The description completes "must be ...", both in an
 * error message and in the documentation table, so the two never disagree.
 * Rules on text (one-of, pattern) apply to each element of a LIST.
 */
public record Validator(String description, Predicate<Object> accepts) {

    public Validator {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(accepts, "accepts");
    }

    /** Inclusive bounds for INT, LONG and PORT values. */
    public static Validator range(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("Empty range " + min + ".." + max);
        }
        return new Validator("between " + min + " and " + max,
                v -> v instanceof Number n && n.longValue() >= min && n.longValue() <= max);
    }

    public static Validator atLeast(long min) {
        return new Validator("at least " + min, v -> v instanceof Number n && n.longValue() >= min);
    }

    /** Inclusive bounds for DURATION values. */
    public static Validator durationRange(Duration min, Duration max) {
        return new Validator("between " + min.toMillis() + "ms and " + max.toMillis() + "ms",
                v -> v instanceof Duration d && d.compareTo(min) >= 0 && d.compareTo(max) <= 0);
    }

    public static Validator oneOf(String... allowed) {
        Set<String> set = Set.of(allowed);
        return new Validator("one of " + Arrays.toString(allowed), eachText(set::contains));
    }

    public static Validator pattern(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return new Validator("matching " + regex, eachText(s -> pattern.matcher(s).matches()));
    }

    private static Predicate<Object> eachText(Predicate<String> rule) {
        return v -> v instanceof List<?> list
                ? list.stream().allMatch(e -> rule.test(String.valueOf(e)))
                : v instanceof String s && rule.test(s);
    }
}
