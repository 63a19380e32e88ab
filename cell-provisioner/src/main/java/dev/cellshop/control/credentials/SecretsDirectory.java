package dev.cellshop.control.credentials;

import dev.cellshop.kernel.id.CellId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The cells' passwords as files, {@code <dir>/<cellId>/mysql-password} (setting
 * {@code cell.secrets-dir}; {@code ops/cellshop up} and {@code cell-up} write them under
 * {@code secrets/cells/} of the state directory). A file any other user may read is refused
 * rather than used: a password others can read is one already leaked.
 */
public final class SecretsDirectory implements CellCredentials {

    public static final String PASSWORD_FILE = "mysql-password";

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private final String user;
    private final Path dir;

    public SecretsDirectory(String user, Path dir) {
        this.user = user;
        this.dir = dir;
    }

    public Path passwordFile(CellId cell) {
        return dir.resolve(cell.toString()).resolve(PASSWORD_FILE);
    }

    @Override
    public Login of(CellId cell) {
        Path file = passwordFile(cell);
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(OTHERS::contains)) {
                throw new MissingCredentials("the MySQL password of cell " + cell + ", " + file + ", is readable by others (mode "
                        + PosixFilePermissions.toString(mode) + "): it must be 0600 (chmod 600 it, and change the password)");
            }
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new MissingCredentials("the MySQL password file of cell " + cell + ", " + file + ", is empty");
            }
            return new Login(user, password);
        } catch (NoSuchFileException e) {
            throw new MissingCredentials("no MySQL password for cell " + cell + ": expected in " + file + " (mode 0600)");
        } catch (IOException e) {
            throw new MissingCredentials("cannot read the MySQL password of cell " + cell + " (" + file + "): " + e.getMessage());
        }
    }
}
