package dev.cellshop.cell.schema;

import io.vertx.mysqlclient.MySQLBatchException;
import io.vertx.mysqlclient.MySQLException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MySQL error codes the code reacts to, named once. */
public final class SqlErrors {

    private static final int DUPLICATE_KEY = 1062;
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final int DEADLOCK = 1213;
    /** MariaDB's ER_STATEMENT_TIMEOUT: the session's max_statement_time passed. */
    private static final int STATEMENT_TIMEOUT = 1969;

    /** The key's name in ER_DUP_ENTRY's message: MariaDB's {@code for key 'variants_sku'}, MySQL 8's {@code 'variants.variants_sku'}. */
    private static final Pattern DUPLICATED_KEY = Pattern.compile("for key '(?:[^'.]+\\.)?([^'.]+)'");

    private SqlErrors() {
    }

    public static boolean isDuplicateKey(Throwable e) {
        return statementError(e) instanceof MySQLException m && m.getErrorCode() == DUPLICATE_KEY;
    }

    /** The name of the unique key a duplicate-key error names (e.g. {@code variants_sku}, {@code PRIMARY}), when it names one. */
    public static Optional<String> duplicatedKey(Throwable e) {
        String message = statementError(e).getMessage();
        if (!isDuplicateKey(e) || message == null) {
            return Optional.empty();
        }
        Matcher key = DUPLICATED_KEY.matcher(message);
        return key.find() ? Optional.of(key.group(1)) : Optional.empty();
    }

    /** A statement that waited past the session's lock-wait or statement timeout (it and its transaction rolled back). */
    public static boolean isTimeout(Throwable e) {
        return statementError(e) instanceof MySQLException m && (m.getErrorCode() == LOCK_WAIT_TIMEOUT || m.getErrorCode() == STATEMENT_TIMEOUT);
    }

    /** InnoDB chose this transaction as a deadlock's victim and rolled it back whole: running it again is safe. */
    public static boolean isDeadlock(Throwable e) {
        return statementError(e) instanceof MySQLException m && m.getErrorCode() == DEADLOCK;
    }

    /**
     * The server's error for a failed statement: a batch ({@code executeBatch}) fails with a
     * {@link MySQLBatchException} that only wraps the first failed row's error (the batch stops there).
     */
    private static Throwable statementError(Throwable e) {
        if (e instanceof MySQLBatchException batch) {
            return batch.getIterationError().entrySet().stream().min(Map.Entry.comparingByKey()).<Throwable>map(Map.Entry::getValue).orElse(e);
        }
        return e;
    }
}
