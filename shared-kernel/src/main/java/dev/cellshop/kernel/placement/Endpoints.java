package dev.cellshop.kernel.placement;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a cell's own stores listen. Validated when the descriptor is built, so a typo fails
 * at {@code cell create} rather than on the first request routed to the cell.
 *
 * @param mysql     a JDBC URL ({@code jdbc:mysql://host:port/db}) or {@code host:port}
 * @param redis     {@code redis://host:port} (or {@code rediss://} for TLS)
 * @param memcached {@code host:port}
 */
public record Endpoints(String mysql, String redis, String memcached) {

    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+]):([0-9]{1,5})");
    private static final Pattern REDIS_URL = Pattern.compile("rediss?://(?:[^@/]*@)?([^/?#]+)(?:/[0-9]*)?");

    public Endpoints {
        if (mysql == null || !(mysql.startsWith("jdbc:") && mysql.length() > 5 || isHostPort(mysql))) {
            throw invalid("mysql", mysql, "a jdbc: URL or host:port");
        }
        Matcher redisUrl = redis == null ? null : REDIS_URL.matcher(redis);
        if (redisUrl == null || !redisUrl.matches() || !isHostPort(redisUrl.group(1))) {
            throw invalid("redis", redis, "redis://host:port");
        }
        if (!isHostPort(memcached)) {
            throw invalid("memcached", memcached, "host:port");
        }
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
