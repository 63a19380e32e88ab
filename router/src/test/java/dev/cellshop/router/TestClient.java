package dev.cellshop.router;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 client for tests (Vert.x core, so it may set {@code Host}, which the JDK
 * client refuses): async {@link #send} for load, blocking {@link #call} for single steps.
 */
public final class TestClient implements AutoCloseable {

    private final Vertx vertx;
    private final HttpClientAgent http;
    private final int port;
    private final Context context;

    public TestClient(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
        this.context = vertx.getOrCreateContext();
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxHeaderSize(64 * 1024),
                new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(100_000));
    }

    public Future<Reply> send(HttpMethod method, String path, Map<String, String> headers, String body) {
        long start = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
                .setIdleTimeout(30_000);
        MultiMap h = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        options.setHeaders(h);
        // Always from the client's own event loop: requests from arbitrary threads would each
        // make a new context and hop between event loops for every pooled connection.
        Promise<Reply> reply = Promise.promise();
        context.runOnContext(v -> http.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> new Reply(response.statusCode(), response.headers(),
                        b.toString(), System.nanoTime() - start)))
                .onComplete(reply));
        return reply.future();
    }

    public Reply call(HttpMethod method, String path, Map<String, String> headers, String body) {
        try {
            return send(method, path, headers, body).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        }
    }

    public Reply get(String path, Map<String, String> headers) {
        return call(HttpMethod.GET, path, headers, null);
    }

    public Vertx vertx() {
        return vertx;
    }

    public Duration timeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    public void close() {
        http.close();
    }
}
