package dev.cellshop.cell.outbox;

import static dev.cellshop.cell.outbox.OutboxFixture.eventId;
import static dev.cellshop.cell.outbox.OutboxFixture.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class OutboxRelayKafkaOutageIT {

    @Test
    void events_written_while_kafka_is_down_stay_in_the_outbox_without_blocking_checkouts_and_all_go_out_when_it_is_back(LocalPlatform platform) throws Exception {
        try (OutboxFixture outbox = new OutboxFixture(platform.endpoints())) {
            PrometheusRegistry registry = new PrometheusRegistry();
            outbox.startRelay(50, registry);
            Set<Long> written = new HashSet<>();
            try (Connection c = outbox.connect()) {
                written.add(outbox.insert(c, 3000, "order.created", "{\"before\":\"the outage\"}"));
                outbox.consumeUntilDelivered(written);
                await().atMost(Duration.ofSeconds(30)).until(() -> outbox.rowsLeft() == 0);

                long slowestInsertMillis = 0;
                try {
                    platform.stop("kafka");
                    for (int i = 0; i < 200; i++) {
                        long start = System.nanoTime();
                        written.add(outbox.insert(c, 3000 + i % 5, "order.created", "{\"orderId\":" + i + "}"));
                        slowestInsertMillis = Math.max(slowestInsertMillis, (System.nanoTime() - start) / 1_000_000);
                    }
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        assertThat(metric(registry, OutboxMetrics.FAILURES)).isPositive();
                        assertThat(metric(registry, OutboxMetrics.LAG)).isGreaterThan(1.0);
                    });
                    assertThat(outbox.rowsLeft()).as("nothing is deleted without Kafka's ack").isEqualTo(200);
                    // More inserts while the relay's batches sit waiting for Kafka, holding their claims.
                    for (int i = 0; i < 20; i++) {
                        long start = System.nanoTime();
                        written.add(outbox.insert(c, 3000, "order.paid", "{\"orderId\":" + i + "}"));
                        slowestInsertMillis = Math.max(slowestInsertMillis, (System.nanoTime() - start) / 1_000_000);
                    }
                } finally {
                    platform.start("kafka");
                }
                assertThat(slowestInsertMillis).as("slowest checkout insert (ms) while the relay retried").isLessThan(1_000);
            }

            assertThat(outbox.consumeUntilDelivered(written).stream().map(OutboxFixture::eventId).collect(Collectors.toSet()))
                    .isEqualTo(written);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(outbox.rowsLeft()).isZero();
                assertThat(metric(registry, OutboxMetrics.LAG)).isZero();
            });
        }
    }
}
