package dev.cellshop.chaos.nemesis;

import dev.cellshop.testkit.ComponentStatus;
import dev.cellshop.testkit.LocalPlatform;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The platform's processes as {@code ops/cellshop} supervises them: their names and pids
 * ({@code status --json}), a signal to one of them, and a restart ({@code start COMPONENT},
 * which also brings a MariaDB killed with -9 back through its crash recovery).
 */
public final class Components {

    private final LocalPlatform platform;

    public Components(LocalPlatform platform) {
        this.platform = platform;
    }

    public List<ComponentStatus> status() {
        return platform.status();
    }

    public List<String> names() {
        return status().stream().map(ComponentStatus::name).toList();
    }

    public Optional<Long> pid(String component) {
        return status().stream().filter(c -> c.name().equals(component)).findFirst().map(ComponentStatus::pid);
    }

    /** {@code ops/cellshop start COMPONENT}: waits until it is ready again; its output, or the failure's. */
    public String start(String component) {
        return platform.start(component);
    }

    /** kill -SIGNAL pid; false when the process was already gone. */
    public static boolean signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            return kill.waitFor() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
