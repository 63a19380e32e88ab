package dev.cellshop.router.hold;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.router.topology.ShopDirectory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests of FROZEN shops (a move's cutover), parked without a thread each: a promise per
 * request, completed on the request's own event loop when the shop's placement turns
 * ACTIVE again, or failed when the bounded wait is over.
 */
public final class HeldRequests {

    /** The wait ran out: the caller answers 503 with Retry-After. */
    public static final class HoldTimeout extends RuntimeException {
        public HoldTimeout(String message) {
            super(message, null, false, false);
        }
    }

    private final class Waiter {
        final Context context;
        final Promise<Placement> promise;
        long timerId;

        Waiter(Context context, Promise<Placement> promise) {
            this.context = context;
            this.promise = promise;
        }
    }

    private final Vertx vertx;
    private final ShopDirectory directory;
    private final long timeoutMillis;
    private final Map<ShopId, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();

    public HeldRequests(Vertx vertx, ShopDirectory directory, long timeoutMillis) {
        this.vertx = vertx;
        this.directory = directory;
        this.timeoutMillis = timeoutMillis;
        directory.onChange(this::placementChanged);
    }

    /**
     * Waits until the shop is ACTIVE (at any epoch above {@code frozenEpoch}); call on an
     * event loop. Fails with {@link HoldTimeout} after the configured wait.
     */
    public Future<Placement> awaitActive(ShopId shop, long frozenEpoch) {
        Context context = vertx.getOrCreateContext();
        Promise<Placement> promise = Promise.promise();
        Waiter waiter = new Waiter(context, promise);
        // The timer first, so a wake on the watcher's thread always has a timer id to cancel;
        // it fires on this (busy) event loop, so never before the waiter is registered below.
        waiter.timerId = vertx.setTimer(timeoutMillis, t -> {
            if (release(shop, waiter)) {
                promise.tryFail(new HoldTimeout("shop " + shop + " is being moved between cells (FROZEN at epoch "
                        + frozenEpoch + ") and did not come back within " + timeoutMillis + " ms"));
            }
        });
        held.incrementAndGet();
        waiting.compute(shop, (s, set) -> { // add inside compute: never into a set release() just dropped
            Set<Waiter> waiters = set != null ? set : ConcurrentHashMap.newKeySet();
            waiters.add(waiter);
            return waiters;
        });
        // The placement may have flipped between the caller's lookup and our registration.
        Placement now = directory.placement(shop);
        if (now != null && now.state() == PlacementState.ACTIVE) {
            wake(shop, waiter, now);
        }
        return promise.future();
    }

    /** Requests waiting right now, for metrics. */
    public int held() {
        return held.get();
    }

    private void placementChanged(ShopId shop, Placement placement) {
        if (placement == null || placement.state() != PlacementState.ACTIVE) {
            return; // removed or still/again FROZEN: keep waiting (the timer bounds it)
        }
        Set<Waiter> waiters = waiting.get(shop);
        if (waiters != null) {
            waiters.forEach(w -> wake(shop, w, placement));
        }
    }

    private void wake(ShopId shop, Waiter waiter, Placement placement) {
        if (release(shop, waiter)) {
            vertx.cancelTimer(waiter.timerId);
            waiter.context.runOnContext(v -> waiter.promise.tryComplete(placement));
        }
    }

    /** Removes the waiter; true only for the one caller that actually removed it. */
    private boolean release(ShopId shop, Waiter waiter) {
        boolean[] removed = new boolean[1];
        waiting.computeIfPresent(shop, (s, set) -> {
            removed[0] = set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
        if (removed[0]) {
            held.decrementAndGet();
        }
        return removed[0];
    }
}
