package dev.cellshop.cell.outbox;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes its cell's outbox to Kafka at least once (see the package documentation for the
 * invariants). Every runtime instance of a cell runs one; they share the table.
 *
 * <p>One batch at a time, all on one Vert.x context: poll, then a timer for the next poll
 * (sooner after a full batch, later when idle, backing off after failures).
 */
public final class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private final Vertx vertx;
    private final OutboxTable table;
    private final String bootstrapServers;
    private final OutboxRelaySettings settings;
    private final OutboxMetrics metrics;

    private volatile Context context;
    // Touched only on `context`.
    private KafkaPublisher publisher;
    private long timer = -1;
    private long dueAtMillis;
    private boolean eventWaiting;
    private Future<?> inFlight = Future.succeededFuture();
    private boolean stopping;
    private int failuresInARow;

    public OutboxRelay(Vertx vertx, Pool pool, String bootstrapServers, OutboxRelaySettings settings, PrometheusRegistry registry) {
        this.vertx = vertx;
        this.table = new OutboxTable(pool);
        this.bootstrapServers = bootstrapServers;
        this.settings = settings;
        this.metrics = new OutboxMetrics(registry);
    }

    /** Opens the Kafka producer and starts polling; the pool is the caller's (not closed by stop). */
    public Future<Void> start() {
        if (context != null) {
            return Future.failedFuture(new IllegalStateException("the outbox relay was started already"));
        }
        context = vertx.getOrCreateContext();
        Promise<Void> started = Promise.promise();
        context.runOnContext(v -> KafkaPublisher.open(vertx, context, bootstrapServers, settings)
                .onSuccess(opened -> {
                    publisher = opened;
                    schedule(Duration.ZERO);
                    LOG.info("outbox relay publishing to {} on {}", settings.topic(), bootstrapServers);
                })
                .<Void>mapEmpty().onComplete(started));
        return started.future();
    }

    /** Stops polling, lets the batch in flight finish (commit or roll back), closes the producer. */
    public Future<Void> stop() {
        if (context == null) {
            return Future.succeededFuture();
        }
        Promise<Void> stopped = Promise.promise();
        context.runOnContext(v -> {
            stopping = true;
            vertx.cancelTimer(timer);
            inFlight.transform(ignored -> publisher == null ? Future.<Void>succeededFuture() : publisher.close())
                    .onComplete(stopped);
        });
        return stopped.future();
    }

    /**
     * An event was committed (from any thread): it is published within the busy poll instead
     * of waiting for the next idle one. Events then reach consumers sooner, and a shop move's
     * cutover, which waits for the shop's outbox to drain, pauses shorter. Many calls while a
     * batch runs make one poll right after it, so a flash sale does not multiply the polls.
     */
    public void eventWritten() {
        Context c = context;
        if (c != null) {
            c.runOnContext(v -> pollSoon());
        }
    }

    private void pollSoon() {
        eventWaiting = true;
        if (stopping || failuresInARow > 0 || timer == -1) {
            return; // a batch is running (published() sees the flag), or Kafka is failing: the backoff stays
        }
        if (dueAtMillis - System.currentTimeMillis() > settings.busyPoll().toMillis()) {
            vertx.cancelTimer(timer);
            schedule(settings.busyPoll());
        }
    }

    private void schedule(Duration delay) {
        if (!stopping) {
            long millis = Math.max(1, delay.toMillis());
            dueAtMillis = System.currentTimeMillis() + millis;
            timer = vertx.setTimer(millis, id -> poll());
        }
    }

    private void poll() {
        timer = -1;
        eventWaiting = false;
        if (stopping) {
            return;
        }
        // Lag is measured before the batch, so it rises while Kafka is down and batches fail.
        Future<Integer> batch = table.oldestAgeSeconds()
                .onSuccess(metrics.lag::set)
                .compose(age -> table.publishClaimed(settings.batchSize(), publisher::publish));
        inFlight = batch;
        batch.onComplete(result -> schedule(result.succeeded() ? published(result.result()) : failed(result.cause())));
    }

    private Duration published(int count) {
        if (failuresInARow > 0) {
            LOG.info("outbox relay publishing again after {} failed attempts", failuresInARow);
        }
        failuresInARow = 0;
        metrics.published.inc(count);
        return count == settings.batchSize() || eventWaiting ? settings.busyPoll() : settings.idlePoll();
    }

    private Duration failed(Throwable cause) {
        failuresInARow++;
        metrics.failures.inc();
        // Log the first failure and then every tenth, not one line per retry while Kafka is down.
        if (failuresInARow % 10 == 1) {
            LOG.warn("outbox relay batch failed ({} in a row); rows stay and are retried: {}", failuresInARow, cause.toString());
        }
        long backoff = settings.idlePoll().toMillis() << Math.min(failuresInARow - 1, 16);
        return Duration.ofMillis(Math.min(backoff, settings.maxBackoff().toMillis()));
    }
}
