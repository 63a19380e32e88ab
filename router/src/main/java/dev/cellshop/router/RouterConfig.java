package dev.cellshop.router;

import dev.cellshop.kernel.config.ConfigSpec;
import dev.cellshop.kernel.config.ConfigType;

/** Every setting of a router instance (file keys; environment CELLSHOP_ROUTER_PORT etc. override). */
final class RouterConfig {

    static final ConfigSpec SPEC = ConfigSpec.builder()
            .define("router.host", ConfigType.STRING, "127.0.0.1", "address the router binds")
            .define("router.port", ConfigType.PORT, "8080", "HTTP port of the router")
            .required("zookeeper.connect", ConfigType.STRING, "ZooKeeper connect string, host:port[,host:port]")
            .define("zookeeper.session-timeout", ConfigType.DURATION, "10s", "ZooKeeper session timeout")
            .build();

    private RouterConfig() {
    }
}
