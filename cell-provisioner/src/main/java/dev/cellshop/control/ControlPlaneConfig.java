package dev.cellshop.control;

import dev.cellshop.control.rebalance.Rebalancer;
import dev.cellshop.kernel.config.ConfigSpec;
import dev.cellshop.kernel.config.ConfigType;
import dev.cellshop.kernel.config.Validator;

/** Every setting of the control plane server (file keys; environment CELLSHOP_CONTROL_PORT etc. override). */
final class ControlPlaneConfig {

    static final ConfigSpec SPEC = ConfigSpec.builder()
            .define("control.host", ConfigType.STRING, "127.0.0.1", "address the control plane binds")
            .define("control.port", ConfigType.INT, "8090", Validator.range(0, 65535), "HTTP port of the control plane (0: any free port)")
            .define("control.advertised-url", ConfigType.STRING, "",
                    "base URL the other control planes reach this one at, its id in the leader election; the leader runs"
                    + " moves, rebalances and evacuations, the others forward those requests to it (default:"
                    + " http://control.host:control.port)")
            .required("platform.token", ConfigType.SECRET, "the bearer token every API call must carry (at least 32 characters)")
            .required("zookeeper.connect", ConfigType.STRING, "ZooKeeper connect string, host:port[,host:port]")
            .define("zookeeper.root", ConfigType.STRING, "/cellshop", "the topology's root node")
            .define("zookeeper.session-timeout", ConfigType.DURATION, "10s", "ZooKeeper session timeout")
            .define("cell.mysql-user", ConfigType.STRING, "cellshop", "MySQL user the control plane reaches every cell's MySQL with")
            .required("cell.secrets-dir", ConfigType.STRING, "directory of the cells' own MySQL passwords, one file"
                    + " <dir>/<cellId>/mysql-password each, mode 0600 (any other mode is refused); ops/cellshop up writes them"
                    + " under secrets/cells of its state directory")
            .define("cell.max-shops", ConfigType.INT, "10000", Validator.range(1, 100_000_000),
                    "capacity in shops of a cell registered without one (the local cells)")
            .define("placement.shops-weight", ConfigType.INT, "100", Validator.range(0, 100),
                    "percent of a cell's headroom from its shop count (with placement.load-weight: 100)")
            .define("placement.load-weight", ConfigType.INT, "0", Validator.range(0, 100),
                    "percent of a cell's headroom from its measured load (load is not measured yet)")
            .define("certification.router", ConfigType.STRING, "",
                    "host:port of the router a certification run sends its canary checkout through (default: platform.json's router)")
            .define("certification.max-latency", ConfigType.DURATION, "3s",
                    "the slowest any single canary request of a certification run may be")
            .define("certification.instance-wait", ConfigType.DURATION, "30s",
                    "how long a certification run waits for the cell's first runtime instance, and for the router to route the canary")
            .define("signing.secret", ConfigType.SECRET, "",
                    "the routers' HMAC secret: a move's cutover signs its questions to the source cell's instances (empty: moves are refused)")
            .define("move.batch-rows", ConfigType.INT, "1000", Validator.range(1, 100_000), "rows per copy batch of a move")
            .define("move.copy-parallelism", ConfigType.INT, "2", Validator.range(1, 16), "tables a move copies at once")
            .define("move.max-lag-transactions", ConfigType.INT, "20", Validator.range(0, 1_000_000),
                    "source transactions a move's target may be behind when its cutover starts")
            .define("move.catch-up-timeout", ConfigType.DURATION, "120s",
                    "how long a move may take to get its lag under move.max-lag-transactions before it aborts")
            .define("move.quiescence-timeout", ConfigType.DURATION, "5s",
                    "how long a cutover waits for the source cell to finish the shop's requests before it aborts")
            .define("move.outbox-timeout", ConfigType.DURATION, "10s",
                    "how long a cutover waits for the source's outbox relay to publish the shop's events before it aborts")
            .define("move.erase-batch-rows", ConfigType.INT, "500", Validator.range(1, 100_000),
                    "rows per delete when a move removes the shop's copy it left behind")
            .define("move.recheck-key-limit", ConfigType.INT, "200000", Validator.range(1, 10_000_000),
                    "rows changed during a cutover that its pause re-checks one by one; past that it verifies the whole shop in the pause")
            .define("move.concurrent", ConfigType.INT, "2", Validator.range(1, 64), "moves this control plane runs at once")
            .define("rebalance.tolerance-percent", ConfigType.INT, "5", Validator.range(0, 100),
                    "how far, in points of utilisation, a cell may stay from the level after a rebalance (never closer than one of its shops)")
            .define("rebalance.max-moves", ConfigType.INT, "20", Validator.range(1, Rebalancer.MOST_MOVES),
                    "the most moves a rebalance plans when the request gives no maxMoves")
            .define("local.platform-json", ConfigType.STRING, "",
                    "platform.json of the local platform: its cells are registered ACTIVE at start when not yet known; its router certifies new cells")
            .build();

    private ControlPlaneConfig() {
    }
}
