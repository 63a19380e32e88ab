package dev.cellshop.cell.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Request rate and latency per route. Each route is labelled by its pattern
 * ({@code /api/v1/products/:id}), never by the raw path, so the label set stays small.
 */
public final class RequestMetrics {

    private static final String ROUTE = "cellshop.route";

    private final Counter requests;
    private final Histogram latency;

    public RequestMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("cellshop_cell_http_requests_total").help("requests by route, method and status")
                .labelNames("route", "method", "status").register(registry);
        latency = Histogram.builder().name("cellshop_cell_http_request_duration_seconds").help("request latency by route")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
                .labelNames("route").register(registry);
    }

    /** First handler of every request: times it and counts it when the response ends. */
    public void start(RoutingContext ctx) {
        long started = System.nanoTime();
        ctx.addEndHandler(done -> {
            String route = ctx.get(ROUTE, "unmatched");
            requests.labelValues(route, ctx.request().method().name(), Integer.toString(ctx.response().getStatusCode())).inc();
            latency.labelValues(route).observe((System.nanoTime() - started) / 1e9);
        });
        ctx.next();
    }

    /** Names the route a request matched, for the labels above. */
    public static Handler<RoutingContext> route(String pattern) {
        return ctx -> {
            ctx.put(ROUTE, pattern);
            ctx.next();
        };
    }
}
