package dev.cellshop.cell.schema;

import io.vertx.mysqlclient.MySQLException;

/** MySQL error codes the code reacts to, named once. */
public final class SqlErrors {

    private static final int DUPLICATE_KEY = 1062;
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    /** MariaDB's ER_STATEMENT_TIMEOUT: the session's max_statement_time passed. */
    private static final int STATEMENT_TIMEOUT = 1969;

    private SqlErrors() {
    }

    public static boolean isDuplicateKey(Throwable e) {
        return e instanceof MySQLException m && m.getErrorCode() == DUPLICATE_KEY;
    }

    /** A statement that waited past the session's lock-wait or statement timeout (it and its transaction rolled back). */
    public static boolean isTimeout(Throwable e) {
        return e instanceof MySQLException m && (m.getErrorCode() == LOCK_WAIT_TIMEOUT || m.getErrorCode() == STATEMENT_TIMEOUT);
    }
}
