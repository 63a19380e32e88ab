package dev.cellshop.router;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps {@code concurrency} GET requests in flight for one shop until stopped, each worker
 * pausing {@link #PAUSE_MILLIS} between requests (so a shop stays under its cell's rate
 * limit: a 429 is the shop's own limit, not a failure of the path), and records every
 * outcome (a transport failure is recorded as status 0).
 */
final class Load implements AutoCloseable {

    record Outcome(int status, long nanos, long atNanos, String cell, String retryAfter) {
    }

    static final long PAUSE_MILLIS = 10;

    final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final TestClient client;
    private final String path;
    private final Map<String, String> headers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger inFlight = new AtomicInteger();

    Load(TestClient client, String path, Map<String, String> headers, int concurrency) {
        this.client = client;
        this.path = path;
        this.headers = headers;
        for (int i = 0; i < concurrency; i++) {
            next();
        }
    }

    private void next() {
        if (!running.get()) {
            return;
        }
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        client.send(HttpMethod.GET, path, headers, null).onComplete(done -> {
            inFlight.decrementAndGet();
            outcomes.add(done.succeeded()
                    ? new Outcome(done.result().status(), done.result().nanos(), start, done.result().header("X-Cellshop-Cell"),
                            done.result().header("Retry-After"))
                    : new Outcome(0, System.nanoTime() - start, start, null, null));
            client.vertx().setTimer(PAUSE_MILLIS, t -> next());
        });
    }

    /** Outcomes so far with this status. */
    List<Outcome> withStatus(int status) {
        return outcomes.stream().filter(o -> o.status() == status).toList();
    }

    List<Outcome> notOk() {
        return outcomes.stream().filter(o -> o.status() != 200).toList();
    }

    /** For failure messages: how many of each status, not every outcome. */
    String summary() {
        return outcomes.stream().collect(java.util.stream.Collectors.groupingBy(Outcome::status, java.util.TreeMap::new,
                java.util.stream.Collectors.counting())).toString();
    }

    int count() {
        return outcomes.size();
    }

    /** Stops issuing and waits for the requests in flight. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // bounded wait for in-flight completions at shutdown, not a timing assumption
        }
    }

    static long p99Millis(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(outcomes.stream().map(Outcome::nanos).sorted().toList());
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1_000_000;
    }
}
