package dev.cellshop.router.metrics;

import dev.cellshop.kernel.id.CellId;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The router's per-cell request metrics. Data points are looked up once per (cell, status)
 * and kept, so the request path pays an array index and an atomic add, not a label lookup.
 * Gauges (breaker state, held requests, placement age, ZooKeeper connection) are callbacks
 * registered by the router verticle, read only when scraped.
 */
public final class RouterMetrics {

    /** What went wrong, as the {@code kind} label of the errors counter. */
    public enum ErrorKind { NO_INSTANCE, BREAKER_OPEN, CONNECT, TIMEOUT, RESET, MALFORMED, IN_FLIGHT_LIMIT, HOLD_TIMEOUT, MISDIRECTED_RETRY }

    private final Counter requests;
    private final Histogram latency;
    private final Counter errors;
    private final Counter unrouted;
    private final CounterDataPoint clientLimited;
    private final Map<CellId, CellSeries> cells = new ConcurrentHashMap<>();
    private final LongAdder bodyBytesHeld = new LongAdder();

    public RouterMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("cellshop_router_requests_total").help("proxied requests by cell and status class")
                .labelNames("cell", "status").register(registry);
        latency = Histogram.builder().name("cellshop_router_request_duration_seconds")
                .help("time from request to response end, by cell (held time included)")
                // Classic buckets only: a native histogram adds work to every observation, and
                // while it rescales, observations go through a locked buffer.
                .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("cell").register(registry);
        errors = Counter.builder().name("cellshop_router_errors_total").help("requests the router answered itself or retried, by cell and kind")
                .labelNames("cell", "kind").register(registry);
        unrouted = Counter.builder().name("cellshop_router_unrouted_total")
                .help("requests that named no known shop, or were refused before routing, by status")
                .labelNames("status").register(registry);
        // No client label: one series per address would be a memory leak an attacker chooses.
        clientLimited = Counter.builder().name("cellshop_router_client_limited_total")
                .help("requests refused with 429 because their client was over limits.client-rate").register(registry);
    }

    public void clientLimited() {
        clientLimited.inc();
    }

    public CellSeries cell(CellId cell) {
        CellSeries series = cells.get(cell); // a plain read first: computeIfAbsent would allocate its function per call
        return series != null ? series : cells.computeIfAbsent(cell, CellSeries::new);
    }

    /** Request body bytes the router starts ({@code delta > 0}) or stops holding for an exchange. */
    public void bodyBytesHeld(long delta) {
        bodyBytesHeld.add(delta);
    }

    /** Request body bytes held now: kept to be signed and sent again, until their exchange ends. */
    public long bodyBytesHeld() {
        return bodyBytesHeld.sum();
    }

    public void unrouted(int status) {
        unrouted.labelValues(Integer.toString(status)).inc();
    }

    /** One cell's series. */
    public final class CellSeries {
        private final CounterDataPoint[] byStatusClass = new CounterDataPoint[6];
        private final DistributionDataPoint latencyPoint;
        private final CounterDataPoint[] byError = new CounterDataPoint[ErrorKind.values().length];

        private CellSeries(CellId cell) {
            for (int c = 1; c <= 5; c++) {
                byStatusClass[c] = requests.labelValues(cell.toString(), c + "xx");
            }
            latencyPoint = latency.labelValues(cell.toString());
            for (ErrorKind kind : ErrorKind.values()) {
                byError[kind.ordinal()] = errors.labelValues(cell.toString(), kind.name().toLowerCase(java.util.Locale.ROOT));
            }
        }

        public void completed(int status, long nanos) {
            int statusClass = status / 100;
            byStatusClass[statusClass >= 1 && statusClass <= 5 ? statusClass : 5].inc();
            latencyPoint.observe(nanos / 1e9);
        }

        public void error(ErrorKind kind) {
            byError[kind.ordinal()].inc();
        }
    }
}
