package dev.cellshop.cell.schema;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The schema of a cell's shard, as Flyway migrations under {@code db/cell}. Blocking (JDBC):
 * call it from a worker thread or before the event loops start, never on an event loop.
 */
public final class CellSchema {

    public static final String LOCATION = "classpath:db/cell";

    private CellSchema() {
    }

    /** Brings the database up to the newest schema; returns the version it ends at. */
    public static String migrate(String jdbcUrl, String user, String password) {
        MigrateResult result = Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations(LOCATION)
                .connectRetries(3)
                .load()
                .migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }
}
