package dev.cellshop.kernel.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One declared setting.
 *
 * @param defaultValue the default as text, parsed like any other value; null when required
 * @param validator    null when any value of the type is fine
 */
public record ConfigKey(String name, ConfigType type, String defaultValue, boolean required,
                        Validator validator, String documentation) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");
    static final String ENV_PREFIX = "CELLSHOP_";

    public ConfigKey {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid config key name '" + name + "': use lower-case words separated by '.' or '-'");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(documentation, "documentation");
        if (required == (defaultValue != null)) {
            throw new IllegalArgumentException("Config key '" + name + "' must have either a default or be required");
        }
    }

    /** {@code router.port} is set by {@code CELLSHOP_ROUTER_PORT}. */
    public String envVar() {
        return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
