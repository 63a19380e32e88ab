package dev.cellshop.cell.schema;

import io.vertx.mysqlclient.MySQLException;

/** MySQL error codes the code reacts to, named once. */
public final class SqlErrors {

    private static final int DUPLICATE_KEY = 1062;

    private SqlErrors() {
    }

    public static boolean isDuplicateKey(Throwable e) {
        return e instanceof MySQLException m && m.getErrorCode() == DUPLICATE_KEY;
    }
}
