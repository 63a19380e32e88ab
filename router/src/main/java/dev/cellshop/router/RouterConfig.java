package dev.cellshop.router;

import dev.cellshop.kernel.config.ConfigSpec;
import dev.cellshop.kernel.config.ConfigType;
import dev.cellshop.kernel.config.Validator;
import java.time.Duration;

/** Every setting of a router instance (file keys; environment CELLSHOP_ROUTER_PORT etc. override). */
final class RouterConfig {

    static final ConfigSpec SPEC = ConfigSpec.builder()
            .define("router.id", ConfigType.STRING, "", "this router's id in ZooKeeper (default: router-<port>)")
            .define("router.host", ConfigType.STRING, "127.0.0.1", "address the router binds")
            .define("router.port", ConfigType.INT, "8080", Validator.range(0, 65535), "HTTP port of the router (0: any free port)")
            .define("router.event-loops", ConfigType.INT, "0", Validator.range(0, 256),
                    "event loops serving traffic (0: one per core)")
            .define("router.access-log", ConfigType.BOOLEAN, "true", "one log line per proxied request")
            .required("zookeeper.connect", ConfigType.STRING, "ZooKeeper connect string, host:port[,host:port]")
            .define("zookeeper.root", ConfigType.STRING, "/cellshop", "the topology's root node")
            .define("zookeeper.session-timeout", ConfigType.DURATION, "10s", "ZooKeeper session timeout")
            .required("signing.secret", ConfigType.SECRET, "HMAC secret shared with the cells (at least 32 characters)")
            .define("limits.max-header-bytes", ConfigType.INT, "8192", Validator.range(1024, 1 << 20),
                    "largest request header block; larger gets 431")
            .define("limits.max-body-bytes", ConfigType.LONG, "1048576", Validator.range(0, 1L << 30),
                    "largest request body; larger gets 413")
            .define("limits.replay-body-bytes", ConfigType.INT, "65536", Validator.range(0, 1 << 24),
                    "request bodies up to this size are kept so a 421 can be retried once on the new cell")
            .define("limits.client-idle-timeout", ConfigType.DURATION, "60s",
                    Validator.durationRange(Duration.ofSeconds(1), Duration.ofHours(1)),
                    "a client connection with no request in flight is closed after this long without one")
            .define("limits.header-timeout", ConfigType.DURATION, "10s",
                    Validator.durationRange(Duration.ofMillis(100), Duration.ofHours(1)),
                    "a request's whole header block must arrive within this, from its first byte; else 408 and the "
                            + "connection closes (a head trickled a byte at a time holds a connection no longer)")
            .define("limits.body-timeout", ConfigType.DURATION, "30s",
                    Validator.durationRange(Duration.ofMillis(100), Duration.ofHours(1)),
                    "a request's whole body must arrive within this, from the end of its head; else 408 (or, once the "
                            + "cell answered, a cut) and the connection closes")
            .define("limits.client-rate", ConfigType.INT, "0", Validator.range(0, 1_000_000),
                    "requests a second one client address may send on average (token bucket; 429 + Retry-After past it); "
                            + "0: no per-client limit")
            .define("limits.client-burst", ConfigType.INT, "0", Validator.range(0, 1_000_000),
                    "requests one client may send at once before limits.client-rate applies (0: one second's worth)")
            .define("limits.client-max-tracked", ConfigType.INT, "100000", Validator.range(1, 10_000_000),
                    "client addresses whose buckets are kept at most (idle ones are dropped every few seconds); "
                            + "past it a new client is not limited until there is room")
            .define("limits.trusted-proxies", ConfigType.LIST, "",
                    "addresses or CIDR blocks of proxies in front of the router whose X-Forwarded-For names the client "
                            + "for limits.client-rate; from any other peer the header is ignored")
            .define("upstream.connect-timeout", ConfigType.DURATION, "1s", "longest wait to connect to a cell instance")
            .define("upstream.response-timeout", ConfigType.DURATION, "10s", "longest wait for a cell's response headers")
            .define("upstream.max-connections", ConfigType.INT, "64", Validator.range(1, 10_000),
                    "idle keep-alive connections kept per cell instance and event loop (as nginx's keepalive): "
                            + "more open while busy and close after their request")
            .define("upstream.max-in-flight", ConfigType.INT, "1000", Validator.range(1, 1_000_000),
                    "requests this router has in flight to one cell instance at most; more get a fast 503 with "
                            + "Retry-After instead of queueing up in a slow cell")
            .define("hold.timeout", ConfigType.DURATION, "10s", "longest a FROZEN shop's request waits before 503")
            .define("breaker.failure-threshold", ConfigType.INT, "5", Validator.range(1, 10_000),
                    "consecutive failures of a cell that open its breaker")
            .define("breaker.open-duration", ConfigType.DURATION, "2s", "how long an open breaker fails fast before probing")
            .define("health.interval", ConfigType.DURATION, "1s", "how often each instance's /ready is probed")
            .build();

    private RouterConfig() {
    }
}
