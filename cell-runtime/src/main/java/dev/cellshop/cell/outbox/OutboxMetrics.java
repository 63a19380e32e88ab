package dev.cellshop.cell.outbox;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The relay's figures on the process's /metrics. */
final class OutboxMetrics {

    static final String PUBLISHED = "cellshop_outbox_published_events";
    static final String FAILURES = "cellshop_outbox_publish_failures";
    static final String LAG = "cellshop_outbox_lag_seconds";

    final Counter published;
    final Counter failures;
    final Gauge lag;

    OutboxMetrics(PrometheusRegistry registry) {
        published = Counter.builder().name(PUBLISHED)
                .help("outbox events acknowledged by Kafka and deleted from the outbox").register(registry);
        failures = Counter.builder().name(FAILURES)
                .help("relay batches that failed (Kafka or MySQL) and were rolled back to be retried").register(registry);
        lag = Gauge.builder().name(LAG)
                .help("age of the oldest event still in the outbox, 0 when it is empty").register(registry);
    }
}
