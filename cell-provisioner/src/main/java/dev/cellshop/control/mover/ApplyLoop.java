package dev.cellshop.control.mover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pumps the streamer's transactions into the applier on its own thread, from the moment
 * the tail starts until the move stops it. The first DDL on a moving table, stream failure
 * or apply error ends the loop with that as the abort reason; what was applied before it
 * stays applied (a resume or an abort decides what happens next).
 */
public final class ApplyLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyLoop.class);
    private static final Duration POLL = Duration.ofMillis(50);
    /** Bounds of one group commit: short target transactions, so a deadlock retry or a lock wait stays cheap. */
    private static final int GROUP_TRANSACTIONS = 200;
    private static final int GROUP_ROWS = 5000;

    private final BinlogStreamer streamer;
    private final ChangeApplier applier;
    private final AtomicReference<String> abortReason = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ApplyLoop(BinlogStreamer streamer, ChangeApplier applier) {
        this.streamer = streamer;
        this.applier = applier;
        this.thread = Thread.ofPlatform().name("mover-apply").daemon().unstarted(this::run);
    }

    public ApplyLoop start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                String failed = streamer.failure().orElse(null);
                if (failed != null) {
                    abort(failed);
                    return;
                }
                ShopTransaction tx = streamer.poll(POLL);
                if (tx != null) {
                    applier.apply(group(tx));
                }
            }
        } catch (MoveAbort e) {
            abort(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            abort("applying the binlog to the target failed at " + applier.applied() + ": " + e);
        }
    }

    /** The transaction and those already waiting behind it, up to a bound: one target commit for them all. */
    private List<ShopTransaction> group(ShopTransaction first) throws InterruptedException {
        List<ShopTransaction> group = new ArrayList<>();
        group.add(first);
        int rows = first.changes().size();
        ShopTransaction next;
        while (group.size() < GROUP_TRANSACTIONS && rows < GROUP_ROWS && (next = streamer.poll(Duration.ZERO)) != null) {
            group.add(next);
            rows += next.changes().size();
        }
        return group;
    }

    private void abort(String reason) {
        if (abortReason.compareAndSet(null, reason)) {
            LOG.warn("event=move_apply_stopped applied={} reason=\"{}\"", applier.applied(), reason);
        }
        running = false;
    }

    public GtidPosition applied() {
        return applier.applied();
    }

    public ChangeApplier applier() {
        return applier;
    }

    public Optional<String> abortReason() {
        return Optional.ofNullable(abortReason.get());
    }

    /**
     * Waits until everything up to {@code head} is applied; false when the timeout passed
     * first. Throws {@link MoveAbort} as soon as the loop stopped for a reason.
     */
    public boolean awaitApplied(GtidPosition head, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            abortReason().ifPresent(reason -> {
                throw new MoveAbort(reason);
            });
            if (applier.applied().reached(head)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL.toMillis() / 5);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
