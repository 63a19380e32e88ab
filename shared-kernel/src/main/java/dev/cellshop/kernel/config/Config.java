package dev.cellshop.kernel.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The validated settings of one process; obtain it from {@link ConfigSpec#load}. */
public final class Config {

    private final Map<String, ConfigKey> keys;
    private final Map<String, Object> values;

    Config(Map<String, ConfigKey> keys, Map<String, Object> values) {
        this.keys = Map.copyOf(keys);
        this.values = Map.copyOf(values);
    }

    public String getString(String key) {
        return (String) get(key, ConfigType.STRING, ConfigType.SECRET);
    }

    public int getInt(String key) {
        return (Integer) get(key, ConfigType.INT, ConfigType.PORT);
    }

    public long getLong(String key) {
        return (Long) get(key, ConfigType.LONG);
    }

    public boolean getBoolean(String key) {
        return (Boolean) get(key, ConfigType.BOOLEAN);
    }

    public Duration getDuration(String key) {
        return (Duration) get(key, ConfigType.DURATION);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) get(key, ConfigType.LIST);
    }

    /** Every setting as {@code key=value}, secrets hidden: safe for the start-up log. */
    @Override
    public String toString() {
        return keys.values().stream()
                .sorted(java.util.Comparator.comparing(ConfigKey::name))
                .map(k -> k.name() + "=" + k.type().format(values.get(k.name())))
                .collect(Collectors.joining(", ", "Config{", "}"));
    }

    // A wrong getter is a programming error in the process, not a bad setting.
    private Object get(String key, ConfigType... allowed) {
        ConfigKey declared = keys.get(key);
        if (declared == null) {
            throw new IllegalArgumentException("Config key '" + key + "' is not declared");
        }
        if (!Set.of(allowed).contains(declared.type())) {
            throw new IllegalArgumentException("Config key '" + key + "' is " + declared.type() + ", not " + Set.of(allowed));
        }
        return values.get(key);
    }
}
