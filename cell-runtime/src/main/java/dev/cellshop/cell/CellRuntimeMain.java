package dev.cellshop.cell;

import dev.cellshop.kernel.process.ProcessMain;

/** {@code java -jar cell-runtime.jar [config.properties]}: one cell-runtime instance. */
public final class CellRuntimeMain {

    private CellRuntimeMain() {
    }

    public static void main(String[] args) {
        ProcessMain.run("cell-runtime", CellRuntimeConfig.SPEC, args, CellRuntimeVerticle::new);
    }
}
