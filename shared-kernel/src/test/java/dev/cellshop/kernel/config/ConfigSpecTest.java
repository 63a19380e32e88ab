package dev.cellshop.kernel.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigSpecTest {

    private static final ConfigSpec SPEC = ConfigSpec.builder()
            .define("router.port", ConfigType.PORT, "8080", "HTTP port of the router")
            .required("zookeeper.connect", ConfigType.STRING, "ZooKeeper connect string")
            .define("hold.timeout", ConfigType.DURATION, "5s",
                    Validator.durationRange(Duration.ofMillis(1), Duration.ofMinutes(1)), "How long a frozen shop's requests wait")
            .define("max-connections", ConfigType.INT, "100", Validator.range(1, 10_000), "Connections per cell")
            .define("id.epoch-offset", ConfigType.LONG, "0", "Test hook")
            .define("tls.enabled", ConfigType.BOOLEAN, "false", "Serve HTTPS")
            .define("log.level", ConfigType.STRING, "INFO", Validator.oneOf("DEBUG", "INFO", "WARN"), "Root log level")
            .define("cells", ConfigType.LIST, "cell-a,cell-b", Validator.pattern("[a-z][a-z0-9-]*"), "Cells to start")
            .define("platform.token", ConfigType.SECRET, "dev-token", "Bearer token of the control plane | CLI")
            .build();

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path path = dir.resolve("cellshop.properties");
        Files.writeString(path, content);
        return path;
    }

    @Test
    void defaults_apply_when_neither_file_nor_env_set_a_key() {
        Config config = SPEC.load(null, Map.of("CELLSHOP_ZOOKEEPER_CONNECT", "127.0.0.1:2181"));
        assertThat(config.getInt("router.port")).isEqualTo(8080);
        assertThat(config.getDuration("hold.timeout")).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.getInt("max-connections")).isEqualTo(100);
        assertThat(config.getLong("id.epoch-offset")).isZero();
        assertThat(config.getBoolean("tls.enabled")).isFalse();
        assertThat(config.getList("cells")).containsExactly("cell-a", "cell-b");
        assertThat(config.getString("zookeeper.connect")).isEqualTo("127.0.0.1:2181");
    }

    @Test
    void the_file_overrides_defaults_and_the_environment_overrides_the_file() throws IOException {
        Path path = file("router.port=9000\nzookeeper.connect=zk:2181\nmax-connections=50\n");
        Config config = SPEC.load(path, Map.of("CELLSHOP_ROUTER_PORT", "9100", "CELLSHOP_MAX_CONNECTIONS", "60"));
        assertThat(config.getInt("router.port")).isEqualTo(9100);
        assertThat(config.getInt("max-connections")).isEqualTo(60);
        assertThat(config.getString("zookeeper.connect")).isEqualTo("zk:2181");
    }

    @Test
    void env_var_names_upper_case_the_key_and_turn_dots_and_dashes_into_underscores() {
        assertThat(SPEC.keys()).filteredOn(k -> k.name().equals("id.epoch-offset"))
                .extracting(ConfigKey::envVar).containsExactly("CELLSHOP_ID_EPOCH_OFFSET");
    }

    @Test
    void an_unknown_key_in_the_file_is_an_error_naming_it() throws IOException {
        Path path = file("zookeeper.connect=zk:2181\nrouter.prot=9000\n");
        assertThatThrownBy(() -> SPEC.load(path, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'router.prot'").hasMessageContaining(path.toString());
    }

    @Test
    void unknown_cellshop_env_vars_belong_to_other_processes_and_are_ignored() {
        Config config = SPEC.load(null, Map.of("CELLSHOP_ZOOKEEPER_CONNECT", "zk:2181", "CELLSHOP_REPO", "/src"));
        assertThat(config.getString("zookeeper.connect")).isEqualTo("zk:2181");
    }

    @Test
    void every_problem_is_reported_at_once_with_key_value_source_and_reason() throws IOException {
        Path path = file("router.port=70000\nhold.timeout=5 seconds\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SPEC.load(path, Map.of(
                "CELLSHOP_MAX_CONNECTIONS", "0", "CELLSHOP_TLS_ENABLED", "yes", "CELLSHOP_LOG_LEVEL", "TRACE",
                "CELLSHOP_CELLS", "cell-a,Cell_B", "CELLSHOP_ID_EPOCH_OFFSET", "12x")));
        assertThat(e.problems()).hasSize(8);
        assertThat(e.getMessage()).contains(
                "Invalid configuration (8 problems)",
                "key 'router.port' = '70000' from file " + path + ": not a port number 1..65535",
                "key 'hold.timeout' = '5 seconds' from file " + path + ": not a duration",
                "key 'max-connections' = '0' from env CELLSHOP_MAX_CONNECTIONS: must be between 1 and 10000",
                "key 'tls.enabled' = 'yes' from env CELLSHOP_TLS_ENABLED: not true or false",
                "key 'log.level' = 'TRACE' from env CELLSHOP_LOG_LEVEL: must be one of [DEBUG, INFO, WARN]",
                "key 'cells' = 'cell-a,Cell_B' from env CELLSHOP_CELLS: must be matching",
                "key 'id.epoch-offset' = '12x' from env CELLSHOP_ID_EPOCH_OFFSET: not a whole number",
                "missing required key 'zookeeper.connect'", "CELLSHOP_ZOOKEEPER_CONNECT");
    }

    @Test
    void a_bad_secret_is_reported_without_its_value() {
        ConfigSpec spec = ConfigSpec.builder()
                .required("platform.token", ConfigType.SECRET, Validator.pattern(".{16,}"), "Bearer token").build();
        assertThatThrownBy(() -> spec.load(null, Map.of("CELLSHOP_PLATFORM_TOKEN", "short-secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'platform.token' = [hidden]").hasMessageNotContaining("short-secret");
        Config config = SPEC.load(null, Map.of("CELLSHOP_ZOOKEEPER_CONNECT", "zk:2181"));
        assertThat(config.getString("platform.token")).isEqualTo("dev-token");
        assertThat(config.toString()).contains("platform.token=[hidden]", "router.port=8080").doesNotContain("dev-token");
    }

    @Test
    void a_missing_config_file_is_reported_with_its_path() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> SPEC.load(missing, Map.of("CELLSHOP_ZOOKEEPER_CONNECT", "zk")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void getters_refuse_undeclared_keys_and_wrong_types() {
        Config config = SPEC.load(null, Map.of("CELLSHOP_ZOOKEEPER_CONNECT", "zk"));
        assertThatThrownBy(() -> config.getString("router.host")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not declared");
        assertThatThrownBy(() -> config.getBoolean("router.port")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PORT");
    }

    @Test
    void each_key_is_declared_once_with_a_valid_default() {
        assertThatThrownBy(() -> ConfigSpec.builder().define("a", ConfigType.INT, "1", "").define("a", ConfigType.INT, "2", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ConfigSpec.builder().define("a.b", ConfigType.INT, "1", "").define("a-b", ConfigType.INT, "2", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CELLSHOP_A_B");
        assertThatThrownBy(() -> ConfigSpec.builder().define("port", ConfigType.PORT, "0", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Default '0'");
        assertThatThrownBy(() -> ConfigSpec.builder().define("Bad Key", ConfigType.INT, "1", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Bad Key'");
    }

    @Test
    void describe_renders_a_markdown_table_of_every_key() {
        String table = SPEC.describe();
        assertThat(table.lines()).hasSize(2 + 9);
        assertThat(table).startsWith("| key | env | type | default | rule | description |")
                .contains("| `router.port` | `CELLSHOP_ROUTER_PORT` | port | `8080` |  | HTTP port of the router |")
                .contains("| `zookeeper.connect` | `CELLSHOP_ZOOKEEPER_CONNECT` | string | *required* |")
                .contains("between 1 and 10000")
                .contains("| [hidden] |", "control plane \\| CLI")
                .doesNotContain("dev-token");
    }

    @Test
    void types_parse_the_documented_spellings() {
        assertThat(ConfigType.DURATION.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigType.DURATION.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ConfigType.DURATION.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ConfigType.BOOLEAN.parse(" TRUE ")).isEqualTo(true);
        assertThat(ConfigType.LIST.parse(" a , ,b ")).isEqualTo(List.of("a", "b"));
        assertThat(ConfigType.LIST.parse("")).isEqualTo(List.of());
        assertThat(ConfigType.INT.parse(" 42 ")).isEqualTo(42);
        assertThat(ConfigType.STRING.parse(" as is ")).isEqualTo(" as is ");
        assertThatThrownBy(() -> ConfigType.INT.parse("3000000000")).hasMessage("not an integer");
        assertThatThrownBy(() -> ConfigType.DURATION.parse("5")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> ConfigType.PORT.parse("0")).hasMessageContaining("1..65535");
    }
}
