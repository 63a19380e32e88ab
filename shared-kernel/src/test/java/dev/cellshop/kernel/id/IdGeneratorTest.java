package dev.cellshop.kernel.id;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdGeneratorTest {

    private static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();

    @Test
    void ids_from_eight_racing_threads_are_unique_and_increase_within_each_thread() throws Exception {
        int threads = 8;
        int perThread = 100_000;
        IdGenerator generator = new IdGenerator(7);
        long[] ids = new long[threads * perThread];
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * perThread;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        ids[offset + i] = generator.nextId();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < threads; t++) {
            for (int i = t * perThread + 1; i < (t + 1) * perThread; i++) {
                assertThat(ids[i]).as("thread %d, id %d", t, i).isGreaterThan(ids[i - 1]);
            }
        }
        Arrays.sort(ids);
        for (int i = 1; i < ids.length; i++) {
            assertThat(ids[i]).as("neighbours at %d", i).isNotEqualTo(ids[i - 1]);
        }
        assertThat(ids[0]).isPositive();
        assertThat(IdGenerator.workerId(ids[ids.length - 1])).isEqualTo(7);
    }

    @Test
    void a_clock_jumping_back_five_seconds_never_yields_a_duplicate_or_smaller_id() {
        AtomicLong clock = new AtomicLong(T0);
        IdGenerator generator = new IdGenerator(1, clock::get);
        long previous = 0;
        for (int step = 0; step < 20_000; step++) {
            if (step == 10_000) {
                clock.addAndGet(-5_000);
            } else if (step % 7 == 0) {
                clock.incrementAndGet();
            }
            long id = generator.nextId();
            assertThat(id).as("step %d", step).isGreaterThan(previous);
            previous = id;
        }
        assertThat(generator.clockRegressions()).isPositive();
        assertThat(IdGenerator.timestampMillis(previous)).isGreaterThanOrEqualTo(T0);
    }

    @Test
    void a_steady_clock_counts_no_regressions() {
        AtomicLong clock = new AtomicLong(T0);
        IdGenerator generator = new IdGenerator(1, clock::get);
        for (int i = 0; i < 10_000; i++) {
            generator.nextId();   // exhausts sequences, so ids run ahead of the clock
            if (i % 1_000 == 0) {
                clock.incrementAndGet();
            }
        }
        assertThat(generator.clockRegressions()).isZero();
    }

    @Test
    void an_exhausted_millisecond_moves_on_to_the_next_instead_of_repeating() {
        IdGenerator generator = new IdGenerator(3, () -> T0);
        long[] ids = new long[3 * 4096 + 10];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = generator.nextId();
            if (i > 0) {
                assertThat(ids[i]).isGreaterThan(ids[i - 1]);
            }
        }
        assertThat(IdGenerator.timestampMillis(ids[0])).isEqualTo(T0);
        assertThat(IdGenerator.sequence(ids[4095])).isEqualTo(4095);
        assertThat(IdGenerator.timestampMillis(ids[4096])).isEqualTo(T0 + 1);
        assertThat(IdGenerator.sequence(ids[4096])).isZero();
        assertThat(IdGenerator.timestampMillis(ids[ids.length - 1])).isEqualTo(T0 + 3);
    }

    @Test
    void ids_decode_into_timestamp_worker_and_sequence() {
        IdGenerator generator = new IdGenerator(1023, () -> T0);
        long first = generator.nextId();
        long second = generator.nextId();
        assertThat(IdGenerator.timestampMillis(first)).isEqualTo(T0);
        assertThat(IdGenerator.workerId(first)).isEqualTo(1023);
        assertThat(IdGenerator.sequence(first)).isZero();
        assertThat(IdGenerator.sequence(second)).isEqualTo(1);
        assertThat(generator.workerId()).isEqualTo(1023);
    }

    @Test
    void two_workers_at_the_same_clock_never_collide() {
        IdGenerator a = new IdGenerator(1, () -> T0);
        IdGenerator b = new IdGenerator(2, () -> T0);
        long[] ids = new long[2 * 10_000];
        for (int i = 0; i < 10_000; i++) {
            ids[2 * i] = a.nextId();
            ids[2 * i + 1] = b.nextId();
        }
        Arrays.sort(ids);
        for (int i = 1; i < ids.length; i++) {
            assertThat(ids[i]).isNotEqualTo(ids[i - 1]);
        }
    }

    @Test
    void worker_ids_outside_0_to_1023_are_refused() {
        assertThatThrownBy(() -> new IdGenerator(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> new IdGenerator(1024)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
        assertThat(new IdGenerator(0).workerId()).isZero();
    }

    @Test
    void ids_order_by_time_across_workers() {
        long early = new IdGenerator(900, () -> T0).nextId();
        long late = new IdGenerator(1, () -> T0 + 1).nextId();
        assertThat(late).isGreaterThan(early);
    }
}
