package dev.cellshop.kernel.placement;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cell's MySQL as an address and nothing else: host, port and database. A cell endpoint is
 * registered through the API, and a JDBC URL taken whole would hand its query string to the
 * driver with the cell's password ({@code allowLoadLocalInfile}, {@code autoDeserialize},
 * {@code socketFactory} …): so only these three parts are read, and every connection's URL is
 * built from them with the driver properties the platform chooses.
 *
 * <p>Accepted: {@code mysql://host:port/db}, {@code host:port} (database {@value #DEFAULT_DATABASE}),
 * and {@code jdbc:mysql://host:port/db} without parameters, the form the descriptors already in
 * ZooKeeper carry.
 */
public record MysqlEndpoint(String host, int port, String database) {

    public static final String DEFAULT_DATABASE = "cellshop";

    /** What {@link #parse} accepts, for an error's detail. */
    public static final String ACCEPTED = "mysql://host:port/database or host:port (database " + DEFAULT_DATABASE
            + "); no user, password or parameters";

    private static final String HOST = "([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+])";
    private static final Pattern URL = Pattern.compile("(?:jdbc:)?mysql://" + HOST + ":([0-9]{1,5})/([A-Za-z0-9_]{1,64})");
    private static final Pattern HOST_PORT = Pattern.compile(HOST + ":([0-9]{1,5})");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern HOST_NAME = Pattern.compile(HOST);

    public MysqlEndpoint {
        if (host == null || !HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("Invalid mysql host '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Invalid mysql port " + port + ": expected 1..65535");
        }
        if (database == null || !NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Invalid mysql database '" + database + "': letters, digits and '_' (at most 64)");
        }
    }

    /** The endpoint of a cell descriptor or a request; anything but the accepted forms is refused, naming them. */
    public static MysqlEndpoint parse(String endpoint) {
        if (endpoint != null) {
            Matcher url = URL.matcher(endpoint);
            if (url.matches() && validPort(url.group(2))) {
                return new MysqlEndpoint(url.group(1), Integer.parseInt(url.group(2)), url.group(3));
            }
            Matcher hostPort = HOST_PORT.matcher(endpoint);
            if (hostPort.matches() && validPort(hostPort.group(2))) {
                return new MysqlEndpoint(hostPort.group(1), Integer.parseInt(hostPort.group(2)), DEFAULT_DATABASE);
            }
        }
        throw new IllegalArgumentException("Invalid mysql endpoint '" + endpoint + "': expected " + ACCEPTED);
    }

    private static boolean validPort(String digits) {
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535;
    }

    /** {@code host:port}, e.g. for a probe's message or the binlog client. */
    public String address() {
        return host + ":" + port;
    }

    /** The driver URL of this endpoint with no property at all: callers add the ones they choose. */
    public String jdbcUrl() {
        return "jdbc:mysql://" + address() + "/" + database;
    }

    @Override
    public String toString() {
        return "mysql://" + address() + "/" + database;
    }
}
