package dev.cellshop.kernel.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcessEndpointsTest {

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void ready_is_200_when_every_check_passes_and_health_is_always_200() throws Exception {
        int port = serve(Map.of("mysql", Future::succeededFuture));

        assertThat(get(port, "/health").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get(port, "/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"mysql\":\"UP\"");
    }

    @Test
    void ready_is_a_503_problem_naming_each_failing_and_each_hung_check() throws Exception {
        Map<String, Supplier<Future<?>>> checks = new LinkedHashMap<>();
        checks.put("mysql", Future::succeededFuture);
        checks.put("redis", () -> Future.failedFuture("Connection refused"));
        checks.put("zookeeper", () -> Promise.promise().future()); // never answers

        HttpResponse<String> ready = get(serve(checks), "/ready");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ready.body()).contains("not ready: redis (Connection refused), zookeeper (no answer within 2000 ms)")
                .contains("\"mysql\":\"UP\"");
    }

    @Test
    void metrics_are_prometheus_text_with_the_jvm_metrics() throws Exception {
        HttpResponse<String> metrics = get(serve(Map.of()), "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge");
    }

    private int serve(Map<String, Supplier<Future<?>>> checks) throws Exception {
        Router router = Router.router(vertx);
        ProcessEndpoints.mount(router, ProcessEndpoints.newRegistry(), checks);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
