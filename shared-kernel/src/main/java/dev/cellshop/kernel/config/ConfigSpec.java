package dev.cellshop.kernel.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Every setting of one process, declared once with its type, default, rule and
 * documentation (the Kafka {@code ConfigDef} way), then loaded from a properties file
 * overridden by {@code CELLSHOP_*} environment variables.
 * <pre>
 * ConfigSpec spec = ConfigSpec.builder()
 *     .define("router.port", ConfigType.PORT, "8080", "HTTP port of the router")
 *     .required("zookeeper.connect", ConfigType.STRING, "ZooKeeper connect string")
 *     .build();
 * Config config = spec.load(path, System.getenv());
 * </pre>
 */
public final class ConfigSpec {

    private final Map<String, ConfigKey> keys;

    private ConfigSpec(Map<String, ConfigKey> keys) {
        this.keys = keys;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Collection<ConfigKey> keys() {
        return keys.values();
    }

    /**
     * Loads the file (if any), then the environment, and validates everything. A key in the
     * file that is not declared is an error, since a misspelt setting would otherwise be
     * ignored without a word. Unknown {@code CELLSHOP_*} variables are not: one environment
     * is shared by several processes, each declaring only its own keys.
     *
     * @throws ConfigException naming every bad key, its value, its source and the reason
     */
    public Config load(Path fileOrNull, Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        List<String> problems = new ArrayList<>();
        Properties file = fileOrNull == null ? new Properties() : readFile(fileOrNull, problems);
        for (String name : new TreeSet<>(file.stringPropertyNames())) {
            if (!keys.containsKey(name)) {
                problems.add("unknown key '" + name + "' in file " + fileOrNull + " (known keys: " + String.join(", ", keys.keySet()) + ")");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : keys.values()) {
            String raw;
            String source;
            if (env.containsKey(key.envVar())) {
                raw = env.get(key.envVar());
                source = "env " + key.envVar();
            } else if (file.containsKey(key.name())) {
                raw = file.getProperty(key.name());
                source = "file " + fileOrNull;
            } else if (!key.required()) {
                raw = key.defaultValue();
                source = "default";
            } else {
                problems.add("missing required key '" + key.name() + "': set it in the config file or in env " + key.envVar());
                continue;
            }
            try {
                values.put(key.name(), parse(key, raw));
            } catch (IllegalArgumentException e) {
                String shown = key.type() == ConfigType.SECRET ? "[hidden]" : "'" + raw + "'";
                problems.add("key '" + key.name() + "' = " + shown + " from " + source + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(keys, values);
    }

    /** The keys as a Markdown table, for the README. */
    public String describe() {
        StringBuilder table = new StringBuilder("| key | env | type | default | rule | description |\n")
                .append("|---|---|---|---|---|---|\n");
        for (ConfigKey key : keys.values()) {
            String fallback = key.required() ? "*required*"
                    : key.type() == ConfigType.SECRET ? "[hidden]"
                    : key.defaultValue().isEmpty() ? "(empty)" : "`" + key.defaultValue() + "`";
            table.append("| `").append(key.name()).append("` | `").append(key.envVar()).append("` | ")
                    .append(key.type().name().toLowerCase(Locale.ROOT)).append(" | ").append(fallback).append(" | ")
                    .append(key.validator() == null ? "" : key.validator().description()).append(" | ")
                    .append(key.documentation().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }

    static Object parse(ConfigKey key, String raw) {
        Object value = key.type().parse(raw);
        if (key.validator() != null && !key.validator().accepts().test(value)) {
            throw new IllegalArgumentException("must be " + key.validator().description());
        }
        return value;
    }

    private static Properties readFile(Path path, List<String> problems) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("cannot read config file " + path + ": " + e);
        }
        return properties;
    }

    /** Collects declarations; {@link #build()} refuses duplicates and bad defaults. */
    public static final class Builder {
        private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

        public Builder define(String name, ConfigType type, String defaultValue, String documentation) {
            return define(name, type, defaultValue, null, documentation);
        }

        public Builder define(String name, ConfigType type, String defaultValue, Validator validator, String documentation) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("Config key '" + name + "' has a null default: declare it with required(...)");
            }
            return add(new ConfigKey(name, type, defaultValue, false, validator, documentation));
        }

        public Builder required(String name, ConfigType type, String documentation) {
            return required(name, type, null, documentation);
        }

        public Builder required(String name, ConfigType type, Validator validator, String documentation) {
            return add(new ConfigKey(name, type, null, true, validator, documentation));
        }

        public ConfigSpec build() {
            return new ConfigSpec(new LinkedHashMap<>(keys));
        }

        private Builder add(ConfigKey key) {
            if (keys.containsKey(key.name())) {
                throw new IllegalArgumentException("Config key '" + key.name() + "' is declared twice");
            }
            for (ConfigKey other : keys.values()) {
                if (other.envVar().equals(key.envVar())) {
                    throw new IllegalArgumentException("Config keys '" + other.name() + "' and '" + key.name()
                            + "' would share the environment variable " + key.envVar());
                }
            }
            if (!key.required()) {
                try {
                    parse(key, key.defaultValue());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Default '" + key.defaultValue() + "' of config key '" + key.name() + "' is invalid: " + e.getMessage(), e);
                }
            }
            keys.put(key.name(), key);
            return this;
        }
    }
}
