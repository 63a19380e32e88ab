package dev.cellshop.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class LocalPlatformLifecycleIT {

    private static final List<String> EXPECTED = List.of("zookeeper", "kafka",
            "cell-a/mysql", "cell-a/redis", "cell-a/memcached", "cell-b/mysql", "cell-b/redis", "cell-b/memcached");

    @Test
    void status_json_names_every_component_of_the_spec_up_with_its_pid_and_port(LocalPlatform platform) {
        List<ComponentStatus> status = platform.status();

        assertThat(status).extracting(ComponentStatus::name).containsExactlyElementsOf(EXPECTED);
        assertThat(status).allSatisfy(c -> {
            assertThat(c.up()).as(c.name()).isTrue();
            assertThat(c.pid()).as(c.name()).isPositive();
            assertThat(Path.of("/proc", c.pid().toString())).as(c.name() + " process").exists();
        });
        assertThat(status).extracting(ComponentStatus::port).doesNotHaveDuplicates();
    }

    @Test
    void up_twice_in_a_row_is_harmless(LocalPlatform platform) {
        Map<String, Long> before = pids(platform.status());

        String output = platform.up();

        assertThat(output).contains("already up: nothing to start");
        assertThat(pids(platform.status())).isEqualTo(before);
        assertThat(platform.allUp()).isTrue();
    }

    @Test
    void down_stops_every_process_and_up_afterwards_finds_a_row_written_before(LocalPlatform platform) throws Exception {
        String marker = UUID.randomUUID().toString();
        try (Connection c = connect(platform)) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS lifecycle_probe (marker VARCHAR(64) PRIMARY KEY)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO lifecycle_probe VALUES (?)")) {
                insert.setString(1, marker);
                insert.executeUpdate();
            }
        }
        Map<String, Long> running = pids(platform.status());

        platform.down();

        assertThat(platform.status()).allSatisfy(c -> assertThat(c.up()).as(c.name()).isFalse());
        assertThat(running.values()).allSatisfy(pid -> assertThat(Path.of("/proc", pid.toString())).doesNotExist());
        // MariaDB was shut down, not killed: its error log says so.
        assertThat(Files.readString(platform.stateDir().resolve("logs/cell-a_mysql.log"))).contains("Shutdown complete");

        platform.up();

        assertThat(platform.allUp()).isTrue();
        try (Connection c = connect(platform);
             PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM lifecycle_probe WHERE marker = ?")) {
            select.setString(1, marker);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    private static Connection connect(LocalPlatform platform) throws SQLException {
        PlatformEndpoints.Mysql mysql = platform.endpoints().cell("cell-a").mysql().withDatabase("scratch");
        return DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
    }

    private static Map<String, Long> pids(List<ComponentStatus> status) {
        return status.stream().collect(Collectors.toMap(ComponentStatus::name, ComponentStatus::pid));
    }
}
