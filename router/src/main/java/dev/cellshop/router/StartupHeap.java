package dev.cellshop.router;

import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One full collection once the router's view is loaded, before it says ready, so that what
 * start-up built (the view, Curator's caches, Vert.x and Netty) is in the old generation
 * before traffic comes. Otherwise the first young collections under load copy it again each
 * time until it is tenured: measured with {@code -Xlog:gc} under ops/bench/router's load,
 * pauses of 5 to 9 ms for the first ~15 collections (about 12 s at 60k req/s), against about
 * 1 ms after. The collection itself takes some 40 ms, while the router is not ready yet.
 * ({@code -XX:+DisableExplicitGC} turns it off.)
 */
final class StartupHeap {

    private static final Logger LOG = LoggerFactory.getLogger(StartupHeap.class);

    private final CompletableFuture<Void> settled = new CompletableFuture<>();

    /** Collects once {@code loaded} completes, on a thread of its own (never an event loop or Curator's). */
    void settleAfter(CompletableFuture<?> loaded) {
        loaded.thenRun(() -> Thread.ofPlatform().name("router-startup-gc").daemon().start(() -> {
            long start = System.nanoTime();
            System.gc();
            LOG.info("event=startup_heap_settled millis={}", (System.nanoTime() - start) / 1_000_000);
            settled.complete(null);
        }));
    }

    boolean isSettled() {
        return settled.isDone();
    }
}
