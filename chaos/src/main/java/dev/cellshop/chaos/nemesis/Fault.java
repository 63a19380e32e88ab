package dev.cellshop.chaos.nemesis;

import dev.cellshop.testkit.faults.LinkMode;

/**
 * One fault of the run: injected, then healed after its duration. Each kind says what it does
 * to its target and how it undoes it; the nemesis knows nothing else about them.
 */
public sealed interface Fault permits Fault.Kill, Fault.Pause, Fault.Partition {

    String component();

    long durationMillis();

    /** What happened, for the run's log; throws when the fault could not be injected (the target is not running). */
    String inject(Components components);

    /** Undoes the fault; what was done, for the log. */
    String heal(Components components);

    /** kill -9, then {@code ops/cellshop start}: a crash and a restart (MariaDB and Kafka recover their logs, Redis replays its AOF). */
    record Kill(String component, long durationMillis) implements Fault {

        @Override
        public String inject(Components components) {
            long pid = components.pid(component).orElseThrow(() -> new IllegalStateException(component + " is not running"));
            Components.signal(pid, "KILL");
            return "kill -9 " + component + " (pid " + pid + ")";
        }

        @Override
        public String heal(Components components) {
            components.start(component);
            return "restarted " + component + " (pid " + components.pid(component).map(String::valueOf).orElse("?") + ")";
        }
    }

    /** SIGSTOP, then SIGCONT: a process that hangs (a GC pause, a stuck disk), keeps its sockets open, then resumes. */
    final class Pause implements Fault {
        private final String component;
        private final long durationMillis;
        private long pid;

        public Pause(String component, long durationMillis) {
            this.component = component;
            this.durationMillis = durationMillis;
        }

        @Override
        public String component() {
            return component;
        }

        @Override
        public long durationMillis() {
            return durationMillis;
        }

        @Override
        public String inject(Components components) {
            pid = components.pid(component).orElseThrow(() -> new IllegalStateException(component + " is not running"));
            Components.signal(pid, "STOP");
            return "SIGSTOP " + component + " (pid " + pid + ")";
        }

        @Override
        public String heal(Components components) {
            Components.signal(pid, "CONT");
            return "SIGCONT " + component + " (pid " + pid + ")";
        }

        @Override
        public String toString() {
            return "Pause[" + component + ", " + durationMillis + " ms]";
        }
    }

    /**
     * A partition of one link ({@code links/cell-a/runtime-1/zookeeper}: the fault proxy between
     * a client and a store, ops/lib/components/link.sh), CUT (connections dropped, new ones
     * refused) or BLACKHOLE (nothing forwarded, nothing closed), then PASS: both ends keep running.
     */
    record Partition(String component, long durationMillis, LinkMode mode) implements Fault {

        @Override
        public String inject(Components components) {
            return "partition " + component + ": " + components.switchLink(component, mode);
        }

        @Override
        public String heal(Components components) {
            return "link " + component + ": " + components.switchLink(component, LinkMode.PASS);
        }
    }
}
