package dev.cellshop.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class LocalPlatformLifecycleIT {

    private static final List<String> CELLS = List.of("cell-a", "cell-b");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The spec's components, with as many runtimes per cell as this platform runs (ops/test: 1; `up`: 2). */
    private static List<String> expected(LocalPlatform platform) {
        List<String> names = new ArrayList<>(List.of("zookeeper", "kafka"));
        CELLS.forEach(cell -> names.addAll(List.of(cell + "/mysql", cell + "/redis", cell + "/memcached")));
        names.add("control-plane");
        CELLS.forEach(cell -> IntStream.rangeClosed(1, runtimesPerCell(platform)).forEach(n -> names.add(cell + "/runtime-" + n)));
        names.add("router");
        return names;
    }

    private static int runtimesPerCell(LocalPlatform platform) {
        return platform.endpoints().cell("cell-a").runtimes().size();
    }

    @Test
    void status_json_names_every_component_of_the_spec_up_with_its_pid_and_port(LocalPlatform platform) {
        List<ComponentStatus> status = platform.status();

        assertThat(runtimesPerCell(platform)).as("cell-runtime instances per cell").isPositive();
        assertThat(status).extracting(ComponentStatus::name).containsExactlyElementsOf(expected(platform));
        assertThat(status).allSatisfy(c -> {
            assertThat(c.up()).as(c.name()).isTrue();
            assertThat(c.pid()).as(c.name()).isPositive();
            assertThat(Path.of("/proc", c.pid().toString())).as(c.name() + " process").exists();
        });
        assertThat(status).extracting(ComponentStatus::port).doesNotHaveDuplicates();
    }

    @Test
    void every_cell_runtime_is_ready_and_serves_jvm_metrics_on_the_port_platform_json_names(LocalPlatform platform) throws Exception {
        PlatformEndpoints endpoints = platform.endpoints();
        assertThat(endpoints.signingSecret()).as("signingSecret").hasSizeGreaterThanOrEqualTo(32);
        Map<String, Integer> ports = platform.status().stream()
                .collect(Collectors.toMap(ComponentStatus::name, ComponentStatus::port));

        for (String cell : CELLS) {
            List<String> runtimes = endpoints.cell(cell).runtimes();
            assertThat(runtimes).as(cell + " runtimes").hasSize(runtimesPerCell(platform));
            for (int n = 1; n <= runtimes.size(); n++) {
                String address = runtimes.get(n - 1);
                assertThat(address).isEqualTo("127.0.0.1:" + ports.get(cell + "/runtime-" + n));

                HttpResponse<String> ready = get(address, "/ready");
                assertThat(ready.statusCode()).as(address + "/ready: " + ready.body()).isEqualTo(200);
                HttpResponse<String> metrics = get(address, "/metrics");
                assertThat(metrics.statusCode()).as(address + "/metrics").isEqualTo(200);
                assertThat(metrics.body()).as(address + "/metrics").contains("jvm_");
            }
        }
    }

    @Test
    void the_router_is_ready_and_serves_jvm_metrics_on_the_port_platform_json_names(LocalPlatform platform) throws Exception {
        String router = platform.endpoints().router();
        Map<String, Integer> ports = platform.status().stream()
                .collect(Collectors.toMap(ComponentStatus::name, ComponentStatus::port));
        assertThat(router).isEqualTo("127.0.0.1:" + ports.get("router"));

        HttpResponse<String> ready = get(router, "/ready");
        assertThat(ready.statusCode()).as(router + "/ready: " + ready.body()).isEqualTo(200);
        HttpResponse<String> metrics = get(router, "/metrics");
        assertThat(metrics.statusCode()).as(router + "/metrics").isEqualTo(200);
        assertThat(metrics.body()).as(router + "/metrics").contains("jvm_");
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

    private static HttpResponse<String> get(String address, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Connection connect(LocalPlatform platform) throws SQLException {
        PlatformEndpoints.Mysql mysql = platform.endpoints().cell("cell-a").mysql().withDatabase("scratch");
        return DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
    }

    private static Map<String, Long> pids(List<ComponentStatus> status) {
        return status.stream().collect(Collectors.toMap(ComponentStatus::name, ComponentStatus::pid));
    }
}
