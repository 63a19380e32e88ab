package dev.cellshop.control.credentials;

import dev.cellshop.kernel.id.CellId;

/**
 * Where the control plane gets each cell's MySQL login. Every cell has its own password, so a
 * credential that leaks opens one cell; the control plane, which copies, certifies and writes
 * shops on every cell, asks for a cell's login each time it connects (a rotated password is
 * read on the next connection). Descriptors in ZooKeeper never carry a password: its nodes are
 * world-readable.
 */
@FunctionalInterface
public interface CellCredentials {

    /** The cell's login; {@link MissingCredentials} with what to fix when there is none to use. */
    Login of(CellId cell);

    record Login(String user, String password) {

        @Override
        public String toString() {
            return "Login[" + user + ", password hidden]";
        }
    }

    /** No usable login for a cell: the detail says which file and what is wrong with it. */
    final class MissingCredentials extends RuntimeException {
        public MissingCredentials(String detail) {
            super(detail);
        }
    }
}
