package dev.cellshop.control;

import dev.cellshop.kernel.config.ConfigSpec;
import dev.cellshop.kernel.config.ConfigType;
import dev.cellshop.kernel.config.Validator;

/** Every setting of the control plane server (file keys; environment CELLSHOP_CONTROL_PORT etc. override). */
final class ControlPlaneConfig {

    static final ConfigSpec SPEC = ConfigSpec.builder()
            .define("control.host", ConfigType.STRING, "127.0.0.1", "address the control plane binds")
            .define("control.port", ConfigType.INT, "8090", Validator.range(0, 65535), "HTTP port of the control plane (0: any free port)")
            .required("platform.token", ConfigType.SECRET, "the bearer token every API call must carry (at least 32 characters)")
            .required("zookeeper.connect", ConfigType.STRING, "ZooKeeper connect string, host:port[,host:port]")
            .define("zookeeper.root", ConfigType.STRING, "/cellshop", "the topology's root node")
            .define("zookeeper.session-timeout", ConfigType.DURATION, "10s", "ZooKeeper session timeout")
            .define("cell.mysql-user", ConfigType.STRING, "cellshop", "MySQL user the control plane writes cells' shop rows with")
            .required("cell.mysql-password", ConfigType.SECRET, "password of cell.mysql-user (the same on every cell for now)")
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
            .define("local.platform-json", ConfigType.STRING, "",
                    "platform.json of the local platform: its cells are registered ACTIVE at start when not yet known; its router certifies new cells")
            .build();

    private ControlPlaneConfig() {
    }
}
