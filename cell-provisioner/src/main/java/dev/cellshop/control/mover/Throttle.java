package dev.cellshop.control.mover;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Holds the copy back while the cells are busy: before each batch the copier waits until
 * {@link #busy()} is false (e.g. the applier's lag or the source's latency is above a bound),
 * checking again every {@code recheck}.
 */
public interface Throttle {

    Throttle NEVER = of(() -> false, Duration.ofMillis(100));

    boolean busy();

    Duration recheck();

    static Throttle of(BooleanSupplier busy, Duration recheck) {
        return new Throttle() {
            @Override
            public boolean busy() {
                return busy.getAsBoolean();
            }

            @Override
            public Duration recheck() {
                return recheck;
            }
        };
    }

    /** Blocks while busy; returns how long it waited. */
    default Duration awaitPermit() throws InterruptedException {
        long start = System.nanoTime();
        while (busy()) {
            Thread.sleep(recheck().toMillis());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
