package dev.cellshop.control.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.kernel.id.CellId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void each_cell_gets_the_password_of_its_own_file() throws Exception {
        write("cell-a", "alpha-secret\n", "rw-------");
        write("cell-b", "bravo-secret", "r--------");
        SecretsDirectory secrets = new SecretsDirectory("cellshop", dir);

        assertThat(secrets.of(CellId.of("cell-a"))).isEqualTo(new CellCredentials.Login("cellshop", "alpha-secret"));
        assertThat(secrets.of(CellId.of("cell-b")).password()).isEqualTo("bravo-secret");
        assertThat(secrets.of(CellId.of("cell-a")).toString()).doesNotContain("alpha-secret");
    }

    @Test
    void a_password_file_others_may_read_is_refused_saying_so() throws Exception {
        write("cell-a", "alpha-secret", "rw-r--r--");

        assertThatThrownBy(() -> new SecretsDirectory("cellshop", dir).of(CellId.of("cell-a")))
                .isInstanceOf(CellCredentials.MissingCredentials.class)
                .hasMessageContaining("cell-a").hasMessageContaining(dir.resolve("cell-a/mysql-password").toString())
                .hasMessageContaining("rw-r--r--").hasMessageContaining("0600").hasMessageNotContaining("alpha-secret");
    }

    @Test
    void a_cell_without_a_password_file_is_named_with_the_file_expected() {
        assertThatThrownBy(() -> new SecretsDirectory("cellshop", dir).of(CellId.of("cell-q")))
                .isInstanceOf(CellCredentials.MissingCredentials.class)
                .hasMessageContaining("no MySQL password for cell cell-q").hasMessageContaining(dir.resolve("cell-q/mysql-password").toString());
    }

    private void write(String cell, String password, String mode) throws Exception {
        Path file = dir.resolve(cell).resolve(SecretsDirectory.PASSWORD_FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, password);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }
}
