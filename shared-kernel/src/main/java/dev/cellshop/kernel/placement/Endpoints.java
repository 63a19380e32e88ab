package dev.cellshop.kernel.placement;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a cell's own stores listen. Validated when the descriptor is built, so a typo fails
 * at {@code cell create} rather than on the first request routed to the cell.
 *
 * @param mysql     {@code mysql://host:port/db} or {@code host:port}: see {@link MysqlEndpoint} (never a
 *                  JDBC URL with parameters, which would reach the driver with the cell's password)
 * @param redis     {@code redis://host:port} (or {@code rediss://} for TLS)
 * @param memcached {@code host:port}
 */
public record Endpoints(String mysql, String redis, String memcached) {

    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+]):([0-9]{1,5})");
    private static final Pattern REDIS_URL = Pattern.compile("rediss?://(?:[^@/]*@)?([^/?#]+)(?:/[0-9]*)?");

    public Endpoints {
        MysqlEndpoint.parse(mysql);
        Matcher redisUrl = redis == null ? null : REDIS_URL.matcher(redis);
        if (redisUrl == null || !redisUrl.matches() || !isHostPort(redisUrl.group(1))) {
            throw invalid("redis", redis, "redis://host:port");
        }
        if (!isHostPort(memcached)) {
            throw invalid("memcached", memcached, "host:port");
        }
    }

    /** The MySQL endpoint's host, port and database: the only parts of it any connection uses. */
    @JsonIgnore
    public MysqlEndpoint mysqlEndpoint() {
        return MysqlEndpoint.parse(mysql);
    }

    private static boolean isHostPort(String value) {
        if (value == null) {
            return false;
        }
        Matcher m = HOST_PORT.matcher(value);
        if (!m.matches()) {
            return false;
        }
        int port = Integer.parseInt(m.group(2));
        return port >= 1 && port <= 65535;
    }

    private static IllegalArgumentException invalid(String store, String value, String expected) {
        return new IllegalArgumentException("Invalid " + store + " endpoint '" + value + "': expected " + expected);
    }
}
