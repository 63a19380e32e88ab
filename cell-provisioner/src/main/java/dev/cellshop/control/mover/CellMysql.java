package dev.cellshop.control.mover;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * One cell's MySQL as the mover reaches it: JDBC for copy, apply and verify, the same host
 * and port for the binlog client. Every session runs in UTC, so a TIMESTAMP read on the
 * source and written on the target is the same instant whatever the JVM's zone, and the
 * binlog's epoch microseconds map to the same wall-clock literal.
 */
public record CellMysql(String host, int port, String database, String user, String password) {

    /** From a {@code jdbc:mysql://host:port/db} endpoint of a cell descriptor. */
    public static CellMysql fromJdbcUrl(String jdbcUrl, String user, String password) {
        String rest = jdbcUrl.replaceFirst("^jdbc:mysql://", "");
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "cellshop" : rest.substring(slash + 1);
        int colon = hostPort.lastIndexOf(':');
        return new CellMysql(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), database, user, password);
    }

    /** A session for long copy and verify statements. */
    public Connection connect() throws SQLException {
        return connect(Duration.ofMinutes(2));
    }

    public Connection connect(Duration socketTimeout) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        // client-side prepared statements: the same code works through a Vitess vtgate
        props.setProperty("useServerPrepStmts", "false");
        // one multi-row INSERT per batch instead of one round trip per row
        props.setProperty("rewriteBatchedStatements", "true");
        props.setProperty("connectionTimeZone", "UTC");
        props.setProperty("forceConnectionTimeZoneToSession", "true");
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        return DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/" + database, props);
    }

    @Override
    public String toString() {
        return "mysql " + user + "@" + host + ":" + port + "/" + database;
    }
}
