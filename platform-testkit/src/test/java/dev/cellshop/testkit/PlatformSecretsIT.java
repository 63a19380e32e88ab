package dev.cellshop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The platform's secrets on disk and in its cells: private files, and one MySQL password per cell. */
@ExtendWith(LocalPlatformExtension.class)
class PlatformSecretsIT {

    private static final Pattern CHMOD_MODE = Pattern.compile("\\bchmod\\s+[0-7]{3,4}\\b");

    @Test
    void every_secret_file_and_platform_json_is_0600_and_every_secrets_directory_0700(LocalPlatform platform) throws IOException {
        Path secrets = platform.stateDir().resolve("secrets");

        assertThat(secrets.resolve("cells/cell-a/mysql-password")).as("cell-a's own MySQL password").isRegularFile();
        assertThat(secrets.resolve("cells/cell-b/mysql-password")).as("cell-b's own MySQL password").isRegularFile();
        assertThat(secrets.resolve("signing-secret")).isRegularFile();
        assertThat(secrets.resolve("platform-token")).isRegularFile();
        assertThat(mode(platform.stateDir().resolve("platform.json"))).as("platform.json").isEqualTo("rw-------");
        try (Stream<Path> all = Files.walk(secrets)) {
            all.forEach(p -> assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        }
    }

    /** A chmod after the write leaves a window where the file is readable by others: every secret is made private by umask. */
    @Test
    void the_launcher_never_chmods_what_it_wrote() throws IOException {
        Path ops = LocalPlatform.findRepo().resolve("ops");
        try (Stream<Path> scripts = Files.walk(ops)) {
            List<String> chmods = scripts.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/target/"))
                    .flatMap(p -> lines(p).stream().filter(l -> !l.trim().startsWith("#") && CHMOD_MODE.matcher(l).find())
                            .map(l -> ops.relativize(p) + ": " + l.trim()))
                    .toList();
            assertThat(chmods).isEmpty();
        }
    }

    @Test
    void each_cell_has_its_own_mysql_password_and_one_cells_password_does_not_open_another(PlatformEndpoints platform) throws Exception {
        PlatformEndpoints.Mysql a = platform.cell("cell-a").mysql();
        PlatformEndpoints.Mysql b = platform.cell("cell-b").mysql();

        assertThat(a.password()).isNotEqualTo(b.password());
        try (Connection own = DriverManager.getConnection(b.jdbcUrl(), b.user(), b.password())) {
            assertThat(own.isValid(5)).as("cell-b's own password opens cell-b").isTrue();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(b.jdbcUrl(), b.user(), a.password()).close())
                .as("cell-a's password on cell-b").isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        assertThatThrownBy(() -> DriverManager.getConnection(a.jdbcUrl(), a.user(), b.password()).close())
                .as("cell-b's password on cell-a").isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of(); // a binary file: not a script
        }
    }
}
