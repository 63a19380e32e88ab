package dev.cellshop.control;

import dev.cellshop.kernel.process.ProcessMain;

/** {@code java -jar cell-provisioner.jar serve [config.properties]}: the control plane's HTTP API. */
public final class ControlPlaneMain {

    private ControlPlaneMain() {
    }

    public static void main(String[] args) {
        ProcessMain.run("control-plane", ControlPlaneConfig.SPEC, args, ControlPlaneVerticle::new);
    }
}
