package dev.cellshop.cell.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Latencies in nanoseconds, recorded from any thread; percentiles by sorting (HdrHistogram is not on the classpath). */
final class Latencies {

    private final long[] values;
    private final AtomicInteger size = new AtomicInteger();

    Latencies(int capacity) {
        values = new long[capacity];
    }

    void add(long nanos) {
        int i = size.getAndIncrement();
        if (i < values.length) {
            values[i] = nanos;
        }
    }

    int count() {
        return Math.min(size.get(), values.length);
    }

    /** p in [0,100]; milliseconds. */
    double[] percentilesMs(double... ps) {
        long[] sorted = Arrays.copyOf(values, count());
        Arrays.sort(sorted);
        double[] r = new double[ps.length];
        for (int i = 0; i < ps.length; i++) {
            if (sorted.length == 0) {
                r[i] = Double.NaN;
                continue;
            }
            int idx = (int) Math.ceil(ps[i] / 100.0 * sorted.length) - 1;
            r[i] = sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
        }
        return r;
    }
}
