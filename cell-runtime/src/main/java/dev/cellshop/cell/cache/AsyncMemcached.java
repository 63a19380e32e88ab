package dev.cellshop.cell.cache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import net.spy.memcached.AddrUtil;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.OperationFuture;

/**
 * spymemcached as Vert.x Futures: no call waits, and every outcome is handed back to the
 * caller's context, so the code after it runs on the caller's event loop.
 */
final class AsyncMemcached {

    static {
        // spymemcached logs to stderr by default; route it through SLF4J unless the process chose otherwise.
        if (System.getProperty("net.spy.log.LoggerImpl") == null) {
            System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SLF4JLogger");
        }
    }

    private final Vertx vertx;
    private final Duration timeout;
    private final MemcachedClient client;

    AsyncMemcached(Vertx vertx, String address, Duration timeout) throws IOException {
        this.vertx = vertx;
        this.timeout = timeout;
        this.client = new MemcachedClient(new ConnectionFactoryBuilder()
                // Cancel: an operation for a disconnected server fails at once instead of queueing until reconnect.
                .setFailureMode(FailureMode.Cancel)
                .setOpTimeout(timeout.toMillis())
                // A full queue must not block the calling event loop: the operation fails instead.
                .setOpQueueMaxBlockTime(0)
                // A restarted Memcached is used again within about 2 s, not the default 30 s.
                .setMaxReconnectDelay(2)
                .setDaemon(true)
                .build(), AddrUtil.getAddresses(address));
    }

    Future<Object> get(String key) {
        Context context = vertx.getOrCreateContext();
        Promise<Object> result = Promise.promise();
        try {
            client.asyncGet(key).addListener(done -> settle(context, result, done));
        } catch (RuntimeException e) { // a bad key, a full queue, a closed client
            result.fail(e);
        }
        return result.future();
    }

    /** Stores only if absent; false when the key already exists. */
    Future<Boolean> add(String key, int expirySeconds, String value) {
        return call(() -> client.add(key, expirySeconds, value));
    }

    Future<Boolean> set(String key, int expirySeconds, String value) {
        return call(() -> client.set(key, expirySeconds, value));
    }

    /** The incremented value, or -1 when the key does not exist (the text protocol has no default). */
    Future<Long> incr(String key) {
        return call(() -> client.asyncIncr(key, 1L));
    }

    /**
     * Fails the operation with a {@link TimeoutException} when it takes longer than the
     * timeout; the operation itself is left to spymemcached's own op timeout.
     */
    <T> Future<T> bounded(Future<T> operation) {
        return bounded(operation, timeout);
    }

    /** Like {@link #bounded(Future)} with another bound. */
    <T> Future<T> bounded(Future<T> operation, Duration bound) {
        Promise<T> result = Promise.promise();
        long timer = vertx.setTimer(bound.toMillis(), id -> result.tryFail(
                new TimeoutException("Memcached did not answer within " + bound.toMillis() + " ms")));
        operation.onComplete((value, failure) -> {
            vertx.cancelTimer(timer);
            if (failure == null) {
                result.tryComplete(value);
            } else {
                result.tryFail(failure);
            }
        });
        return result.future();
    }

    boolean available() {
        return !client.getAvailableServers().isEmpty();
    }

    Future<Void> close() {
        return vertx.executeBlocking(() -> client.shutdown(1, TimeUnit.SECONDS)).mapEmpty();
    }

    private <T> Future<T> call(Supplier<OperationFuture<T>> operation) {
        Context context = vertx.getOrCreateContext();
        Promise<T> result = Promise.promise();
        try {
            operation.get().addListener(done -> settle(context, result, done));
        } catch (RuntimeException e) {
            result.fail(e);
        }
        return result.future();
    }

    /** Runs on spymemcached's listener thread. */
    @SuppressWarnings("unchecked")
    private static <T> void settle(Context context, Promise<T> promise, java.util.concurrent.Future<?> done) {
        try {
            T value = (T) done.get(); // already complete: does not wait
            context.runOnContext(v -> promise.tryComplete(value));
        } catch (Exception e) { // cancelled (server down), timed out, or a server error
            context.runOnContext(v -> promise.tryFail(e));
        }
    }
}
