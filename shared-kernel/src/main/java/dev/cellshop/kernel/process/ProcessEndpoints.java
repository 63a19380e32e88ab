package dev.cellshop.kernel.process;

import dev.cellshop.kernel.problem.Problem;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code /health}, {@code /ready} and {@code /metrics}: the three endpoints every cellshop
 * process serves, written once. Liveness says only that the process answers; readiness
 * runs the process's named checks (each bounded by a timeout, so a hung dependency makes
 * the process unready instead of hanging its probe) and names every failing one.
 */
public final class ProcessEndpoints {

    private static final long CHECK_TIMEOUT_MS = 2000;
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    private ProcessEndpoints() {
    }

    public static void mount(Router router, PrometheusRegistry registry, Map<String, Supplier<Future<?>>> readinessChecks) {
        router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
        router.get("/ready").handler(ctx -> ready(ctx, readinessChecks));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE)
                .end(scrape(registry)));
    }

    /** A registry holding the JVM's own metrics (memory, GC, threads), for a process to add its own to. */
    public static PrometheusRegistry newRegistry() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        return registry;
    }

    public static String scrape(PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            TEXT.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void ready(RoutingContext ctx, Map<String, Supplier<Future<?>>> checks) {
        Map<String, String> results = new LinkedHashMap<>();
        checks.keySet().forEach(name -> results.put(name, "DOWN: no answer"));
        List<Future<?>> running = new ArrayList<>();
        checks.forEach((name, check) -> running.add(bounded(check)
                // a check may succeed with a note (e.g. "serving the last view: ZooKeeper lost")
                .onSuccess(ok -> results.put(name, ok instanceof String note && !note.isEmpty() ? "UP: " + note : "UP"))
                .onFailure(e -> results.put(name, "DOWN: " + e.getMessage()))));
        Future.join(running).onComplete(done -> {
            List<String> down = results.entrySet().stream().filter(e -> !e.getValue().startsWith("UP"))
                    .map(e -> e.getKey() + " (" + e.getValue().substring(6) + ")").toList();
            if (down.isEmpty()) {
                ctx.json(new JsonObject().put("status", "READY").put("checks", new JsonObject(new LinkedHashMap<>(results))));
            } else {
                Problem problem = Problem.serviceUnavailable("not ready: " + String.join(", ", down))
                        .withExtension("checks", results);
                ctx.response().setStatusCode(503).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem.toJson());
            }
        });
    }

    private static Future<?> bounded(Supplier<Future<?>> check) {
        Future<?> result;
        try {
            result = check.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return result.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .recover(e -> Future.failedFuture(e instanceof TimeoutException
                        ? new IllegalStateException("no answer within " + CHECK_TIMEOUT_MS + " ms") : e));
    }
}
