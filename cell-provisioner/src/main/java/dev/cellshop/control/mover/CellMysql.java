package dev.cellshop.control.mover;

import dev.cellshop.control.credentials.CellCredentials;
import dev.cellshop.kernel.placement.CellDescriptor;
import dev.cellshop.kernel.placement.MysqlEndpoint;
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

    /**
     * A cell's MySQL from its descriptor: host, port and database of its endpoint (nothing else
     * of it reaches the driver), with the cell's own login.
     */
    public static CellMysql of(CellDescriptor cell, CellCredentials credentials) {
        MysqlEndpoint endpoint = cell.endpoints().mysqlEndpoint();
        CellCredentials.Login login = credentials.of(cell.cellId());
        return new CellMysql(endpoint.host(), endpoint.port(), endpoint.database(), login.user(), login.password());
    }

    /** A session for long copy and verify statements. */
    public Connection connect() throws SQLException {
        return connect(Duration.ofMinutes(2));
    }

    public Connection connect(Duration socketTimeout) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /**
     * The one URL every connection of the control plane to a cell uses (the JDBC sessions and
     * Flyway's), built from the endpoint's parts: the driver gets these properties and no
     * other, whatever an endpoint was registered as.
     */
    public String jdbcUrl() {
        return new MysqlEndpoint(host, port, database).jdbcUrl()
                // client-side prepared statements: the same code works through a Vitess vtgate
                + "?useServerPrepStmts=false"
                // one multi-row INSERT per batch instead of one round trip per row
                + "&rewriteBatchedStatements=true"
                + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
                + "&characterEncoding=UTF-8"
                + "&allowLoadLocalInfile=false&autoDeserialize=false"
                + "&connectTimeout=5000";
    }

    @Override
    public String toString() {
        return "mysql " + user + "@" + host + ":" + port + "/" + database;
    }
}
