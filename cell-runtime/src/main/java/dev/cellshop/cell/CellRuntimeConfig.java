package dev.cellshop.cell;

import dev.cellshop.cell.stock.StockBuckets;
import dev.cellshop.kernel.config.ConfigSpec;
import dev.cellshop.kernel.config.ConfigType;
import dev.cellshop.kernel.config.Validator;
import java.time.Duration;

/** Every setting of a cell-runtime instance (file keys; environment CELLSHOP_CELL_ID etc. override). */
final class CellRuntimeConfig {

    static final ConfigSpec SPEC = ConfigSpec.builder()
            .required("cell.id", ConfigType.STRING, Validator.pattern("[a-z][a-z0-9-]{0,31}"), "the cell this instance serves")
            .define("instance.id", ConfigType.STRING, "", "this instance's id in ZooKeeper (default: <cell>-<port>)")
            .define("http.host", ConfigType.STRING, "127.0.0.1", "address the HTTP server binds and announces")
            .define("http.port", ConfigType.INT, "13303", Validator.range(0, 65535), "HTTP port of this instance (0: any free port)")
            .required("signing.secret", ConfigType.SECRET, "HMAC secret shared with the routers (at least 32 characters)")
            .define("signing.max-skew", ConfigType.DURATION, "30s", "how old (or early) a router's signature may be")
            .define("signing.replay-check-timeout", ConfigType.DURATION, "500ms", "longest wait for Redis to say whether a"
                    + " request was seen before; past it reads go on and writes get 503")
            .define("mysql.host", ConfigType.STRING, "127.0.0.1", "the cell's MySQL shard")
            .required("mysql.port", ConfigType.PORT, "port of the cell's MySQL shard")
            .define("mysql.user", ConfigType.STRING, "cellshop", "MySQL user")
            .required("mysql.password", ConfigType.SECRET, "MySQL password")
            .define("mysql.database", ConfigType.STRING, "cellshop", "MySQL database of the shard")
            .define("mysql.pool-size", ConfigType.INT, "16", Validator.range(1, 200), "MySQL connections per instance")
            .define("mysql.statement-timeout", ConfigType.DURATION, "5s", "longest a statement of this instance may run (MariaDB"
                    + " max_statement_time), lock waits included; past it the statement fails and a shop's write answers 503")
            .define("mysql.lock-wait-timeout", ConfigType.DURATION, "3s", "longest a statement waits for a row lock (innodb_lock_wait_timeout,"
                    + " whole seconds, at least 1)")
            .define("mysql.transaction-deadline", ConfigType.DURATION, "5s", "a shop's write transaction whose statements took longer"
                    + " rolls back instead of committing (503): what bounds how long after its request a write can still commit")
            .define("fence.enforce", ConfigType.BOOLEAN, "true", "check every write transaction against the shop's fence row in the"
                    + " shard (shop_fences); false only to measure the check's cost in a benchmark, never when serving")
            .define("mysql.migrate", ConfigType.BOOLEAN, "true", "bring the shard's schema up to date at start (Flyway)")
            .required("redis.url", ConfigType.STRING, Validator.pattern("rediss?://.+"), "the cell's Redis, redis://host:port")
            .define("redis.pool-size", ConfigType.INT, "16", Validator.range(1, 512), "Redis connections per instance")
            .define("redis.pool-waiting", ConfigType.INT, "8192", Validator.range(1, 1_000_000), "Redis requests that may wait for a connection before 503s")
            .required("memcached.address", ConfigType.STRING, Validator.pattern("[^:]+:[0-9]{1,5}"), "the cell's Memcached, host:port")
            .define("cache.ttl", ConfigType.DURATION, "5m", "how long a product read stays cached")
            .define("cache.timeout", ConfigType.DURATION, "75ms", "longest wait for Memcached before reading MySQL instead")
            .define("cache.version-max-age", ConfigType.DURATION, "250ms", "how long an instance keeps a shop's cache namespace version"
                    + " without asking Memcached: the most another instance's write stays unseen here (its own are seen at once)")
            .define("ratelimit.capacity", ConfigType.LONG, "2000", Validator.range(1, 10_000_000), "per-shop burst (token bucket size)")
            .define("ratelimit.refill-per-second", ConfigType.LONG, "1000", Validator.range(1, 10_000_000), "per-shop sustained requests per second")
            .define("ratelimit.overrides", ConfigType.LIST, "", "per-shop limits: shopId:capacity:perSecond, comma-separated")
            .define("ratelimit.timeout", ConfigType.DURATION, "1s", "longest wait for the limiter's Redis before carts and checkouts get 503"
                    + " (250 ms fired spuriously under a 400-connection burst: Redis answers queue behind HTTP work on the event loop)")
            .define("ratelimit.lease", ConfigType.DURATION, "100ms", "how long an instance spends rate tokens it took from Redis in advance"
                    + " (0: every request asks Redis); a shop may get up to this much more than its bucket over any window")
            .define("ratelimit.lease-max-tokens", ConfigType.INT, "100", Validator.range(1, 10_000),
                    "the most tokens one lease takes (also at most a tenth of the bucket and its refill in one lease time)")
            .define("stock.buckets.auto-split-rate", ConfigType.INT, "0", Validator.range(0, 1_000_000), "checkouts of one unbucketed"
                    + " variant committed by this instance within one second that split its stock into stock.buckets.auto-split-count buckets"
                    + " (0: never; the merchant's PUT /admin/v1/variants/{id}/stock-buckets still does)")
            .define("stock.buckets.auto-split-count", ConfigType.INT, "8", Validator.range(2, StockBuckets.MAX_BUCKETS), "buckets of an automatic split")
            .define("stock.buckets.merge-after", ConfigType.DURATION, "10m", Validator.durationRange(Duration.ofSeconds(1), Duration.ofDays(30)),
                    "a bucketed variant whose buckets stood still this long (no checkout took from them, no split) is merged back onto its"
                    + " variants row: the sale is over")
            .define("stock.buckets.merge-check", ConfigType.DURATION, "30s", Validator.durationRange(Duration.ofMillis(100), Duration.ofHours(1)),
                    "how often each instance looks for idle bucketed variants to merge back")
            .required("kafka.bootstrap", ConfigType.STRING, "Kafka bootstrap servers, host:port[,host:port]")
            .define("outbox.topic", ConfigType.STRING, "cellshop.orders", "topic of order events")
            .define("outbox.batch-size", ConfigType.INT, "100", Validator.range(1, 10_000), "events per relay transaction")
            .required("zookeeper.connect", ConfigType.STRING, "ZooKeeper connect string (worker-id leases, placements, membership)")
            .define("ids.lease-session-timeout", ConfigType.DURATION, "180s", Validator.durationRange(Duration.ofSeconds(10), Duration.ofHours(1)),
                    "session timeout of the worker-id lease's own ZooKeeper session: how long checkouts go on while ZooKeeper is"
                    + " out of reach (less 2 s); ZooKeeper caps it at its maxSessionTimeout, and the start log says what it granted")
            .build();

    private CellRuntimeConfig() {
    }
}
