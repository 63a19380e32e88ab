package dev.cellshop.control.topology;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.recipes.cache.CuratorCache;

/** Starting one of the control plane's Curator caches: blocking until its first full load, bounded. */
final class CacheStart {

    private CacheStart() {
    }

    static void startAndAwait(CuratorCache cache, CountDownLatch initialized, long timeoutMs, String what)
            throws InterruptedException {
        cache.start();
        if (!initialized.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(what + " did not load from ZooKeeper within " + timeoutMs + " ms");
        }
    }
}
