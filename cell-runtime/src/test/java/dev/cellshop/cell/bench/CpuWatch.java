package dev.cellshop.cell.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * CPU time of other processes over the measured window ({@code pids=runtime:123,mariadb:456}),
 * from /proc/PID/stat (utime + stime, in clock ticks of 100 Hz): cores used = seconds of CPU per second.
 */
final class CpuWatch {

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> start = new HashMap<>();
    private long startNanos;

    CpuWatch(String spec) {
        if (spec != null && !spec.isBlank()) {
            for (String part : spec.split(",")) {
                String[] kv = part.split(":");
                if (kv.length == 2 && !kv[1].isBlank()) {
                    pids.put(kv[0], Long.parseLong(kv[1].trim()));
                }
            }
        }
        pids.put("loadgen", ProcessHandle.current().pid());
    }

    /** Measures from {@code fromNanos} to {@code toNanos} (System.nanoTime() instants) and prints {@code prefix.cpu_NAME}. */
    void window(long fromNanos, long toNanos, String prefix) {
        at(fromNanos, this::begin);
        at(toNanos, () -> report(prefix));
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
        } catch (Exception e) {
            return -1;
        }
    }

    private void begin() {
        startNanos = System.nanoTime();
        pids.forEach((name, pid) -> start.put(name, ticks(pid)));
    }

    private void report(String prefix) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        pids.forEach((name, pid) -> {
            long t0 = start.getOrDefault(name, -1L);
            long t1 = ticks(pid);
            if (t0 >= 0 && t1 >= 0 && seconds > 0) {
                Results.out(prefix + ".cpu_" + name, String.format(Locale.ROOT, "%.2f", (t1 - t0) / 100.0 / seconds));
            }
        });
    }

    /** Runs {@code action} at the given System.nanoTime() instant, on a daemon thread. */
    private static void at(long nanos, Runnable action) {
        Thread t = new Thread(() -> {
            long wait;
            while ((wait = nanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            action.run();
        }, "bench-timer");
        t.setDaemon(true);
        t.start();
    }
}
