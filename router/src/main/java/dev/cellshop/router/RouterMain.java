package dev.cellshop.router;

import dev.cellshop.kernel.process.ProcessMain;

/** {@code java -jar router.jar [config.properties]}: one router instance. */
public final class RouterMain {

    private RouterMain() {
    }

    public static void main(String[] args) {
        ProcessMain.run("router", RouterConfig.SPEC, args, RouterVerticle::new);
    }
}
