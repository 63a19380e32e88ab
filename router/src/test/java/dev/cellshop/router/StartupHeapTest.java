package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StartupHeapTest {

    @Test
    void theHeapIsSettledOnlyAfterTheViewHasLoaded() {
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        StartupHeap heap = new StartupHeap();
        heap.settleAfter(loaded);
        assertThat(heap.isSettled()).as("nothing loaded yet: not ready for traffic").isFalse();
        loaded.complete(null);
        await().atMost(Duration.ofSeconds(10)).until(heap::isSettled);
    }
}
