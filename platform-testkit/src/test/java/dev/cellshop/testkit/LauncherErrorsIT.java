package dev.cellshop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees when `ops/cellshop up` cannot do its job: a message to act on, not a hang. */
class LauncherErrorsIT {

    // A block of its own, 2000 above the test platform's (23000 by default) and clear of a developer's (13000).
    private static final int PORT_BASE = Integer.parseInt(System.getenv().getOrDefault("CELLSHOP_PORT_BASE", "23000")) + 2000;

    @TempDir
    Path stateDir;
    private LocalPlatform platform;

    @AfterEach
    void stopWhateverStarted() {
        if (platform != null) {
            platform.down();
            assertThat(platform.status()).noneMatch(ComponentStatus::up);
        }
    }

    @Test
    void a_port_already_taken_is_reported_with_its_owner_before_anything_starts() throws Exception {
        platform = new LocalPlatform(LocalPlatform.findRepo(), stateDir, PORT_BASE);
        try (ServerSocket squatter = new ServerSocket(PORT_BASE + 181, 1, InetAddress.getLoopbackAddress())) {

            assertThatThrownBy(platform::up).isInstanceOf(PlatformCommandException.class)
                    .hasMessageContaining("cannot start zookeeper: port 127.0.0.1:" + (PORT_BASE + 181) + " is already in use by pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("CELLSHOP_PORT_BASE");
            assertThat(platform.status()).noneMatch(ComponentStatus::up);
        }
    }

    @Test
    void a_component_that_fails_to_start_is_named_with_its_log_file() throws Exception {
        platform = new LocalPlatform(LocalPlatform.findRepo(), stateDir, PORT_BASE);
        // A datadir that looks initialised but has no system tables: MariaDB refuses to start.
        Files.createDirectories(stateDir.resolve("cells/cell-a/mysql/data/mysql"));

        assertThatThrownBy(platform::up).isInstanceOf(PlatformCommandException.class)
                .hasMessageContaining("cell-a/mysql failed to start")
                .hasMessageContaining("Its log: " + stateDir.resolve("logs/cell-a_mysql.log"));
    }

    @Test
    void stopping_an_unknown_component_is_refused_naming_the_valid_ones() {
        platform = new LocalPlatform(LocalPlatform.findRepo(), stateDir, PORT_BASE);

        assertThatThrownBy(() -> platform.stop("kafak")).isInstanceOf(PlatformCommandException.class)
                .hasMessageContaining("unknown component 'kafak'")
                .hasMessageContaining("zookeeper kafka cell-a/mysql cell-a/redis cell-a/memcached");
    }
}
