package dev.cellshop.testkit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The endpoints of a running local platform, as `ops/cellshop up` writes them to platform.json;
 * {@code signingSecret} is the HMAC secret routers sign with and cells check; {@code platformToken}
 * the bearer token of the control plane's API ({@code controlPlane}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlatformEndpoints(String zookeeper, String kafka, String router, String controlPlane, String signingSecret,
                                String platformToken,
                                List<Cell> cells) {

    public Cell cell(String cellId) {
        return cells.stream().filter(c -> c.cellId().equals(cellId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cell " + cellId + " on this platform: " + cells));
    }

    /** A cell's stores and its cell-runtime instances ({@code host:port}, as many as CELLSHOP_RUNTIMES_PER_CELL). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cell(String cellId, Mysql mysql, String redis, String memcached, List<String> runtimes) {

        public Cell {
            runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
        }

        /** Memcached's port (its address is always 127.0.0.1 on the local platform). */
        public int memcachedPort() {
            return Integer.parseInt(memcached.substring(memcached.lastIndexOf(':') + 1));
        }

        public int redisPort() {
            return Integer.parseInt(redis.substring(redis.lastIndexOf(':') + 1));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Mysql(String host, int port, String user, String password, String database, String socket) {

        /** Connector/J URL; server-side prepared statements stay off so the same code works through a Vitess vtgate. */
        public String jdbcUrl() {
            return "jdbc:mysql://" + host + ":" + port + "/" + database
                    + "?useServerPrepStmts=false&rewriteBatchedStatements=true&connectTimeout=5000";
        }

        /** The same server and user on another database, e.g. {@code scratch} for probes that must not touch the shard's schema. */
        public Mysql withDatabase(String other) {
            return new Mysql(host, port, user, password, other, socket);
        }

        @Override
        public String toString() {
            return "Mysql[" + user + "@" + host + ":" + port + "/" + database + "]";
        }
    }
}
