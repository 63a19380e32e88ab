package dev.cellshop.router;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import dev.cellshop.kernel.topology.TopologyPaths;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;

/**
 * A stand-in cell for tests of the router's own mechanics (headers, bodies, timeouts,
 * crashes): instances that register in ZooKeeper like cell-runtime instances do and answer
 * every request with what they received. Tests of routing to real cells use the platform's
 * cell-runtime instances instead.
 */
final class EchoCell implements AutoCloseable {

    /** A request with this header is answered chunked (Transfer-Encoding: chunked), in two chunks. */
    static final String CHUNKED_ANSWER = "X-Echo-Chunked";

    /** How an instance answers a shop's request; null means echo. Health probes always get 200. */
    volatile Function<HttpServerRequest, Integer> statusOverride;
    volatile long delayMillis;

    final CellId cellId;
    final AtomicInteger requests = new AtomicInteger(); // shops' requests (signed by the router), not health probes
    final List<JsonObject> received = new CopyOnWriteArrayList<>(); // whole requests, body included
    final List<String> targets = new CopyOnWriteArrayList<>();     // every shop request's target, as its head arrived
    private final Vertx vertx;
    private final CuratorFramework curator;
    private final TopologyPaths paths;
    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextInstance = new AtomicInteger();

    EchoCell(Vertx vertx, CuratorFramework curator, TopologyPaths paths, String cellId) {
        this.vertx = vertx;
        this.curator = curator;
        this.paths = paths;
        this.cellId = CellId.of(cellId);
    }

    /** Starts one more instance and registers it; returns its instance id. */
    String startInstance() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String id = register(server.actualPort());
        servers.put(id, server);
        return id;
    }

    /** Registers an instance of this cell served on {@code port} by something else (a test's own server); returns its id. */
    String register(int port) throws Exception {
        String id = cellId + "-echo-" + nextInstance.incrementAndGet();
        InstanceDescriptor d = InstanceDescriptor.of(id, "127.0.0.1", port, Instant.now());
        curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                .forPath(paths.instance(cellId, id), Json.writeBytes(d));
        registered.add(id);
        return id;
    }

    /** The instance dies without leaving ZooKeeper (its session has not expired yet): connections are refused. */
    void crash(String id) throws Exception {
        servers.remove(id).close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The instance leaves ZooKeeper and stops, as a graceful shutdown does. */
    void stop(String id) throws Exception {
        curator.delete().quietly().forPath(paths.instance(cellId, id));
        registered.remove(id);
        HttpServer server = servers.remove(id);
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void answer(HttpServerRequest request) {
        if (request.getHeader("X-Cellshop-Shop-Id") == null) {
            request.response().end("{\"status\":\"READY\"}"); // the router's health probe: not a shop's request, never counted
            return;
        }
        requests.incrementAndGet();
        targets.add(request.uri());
        request.body().onSuccess(body -> {
            JsonObject headers = new JsonObject();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            JsonObject echo = new JsonObject().put("cell", cellId.toString()).put("method", request.method().name())
                    .put("uri", request.uri()).put("headers", headers).put("bodyBytes", body.length())
                    .put("body", body.length() <= 4096 ? body.toString() : "");
            received.add(echo);
            Function<HttpServerRequest, Integer> override = statusOverride;
            int status = override == null ? 200 : override.apply(request);
            Runnable send = () -> {
                var response = request.response().setStatusCode(status).putHeader("Content-Type", "application/json");
                if (request.getHeader(CHUNKED_ANSWER) == null) {
                    response.end(echo.encode());
                } else { // the answer in two chunks: a body whose length the router does not know
                    String json = echo.encode();
                    response.setChunked(true).write(json.substring(0, 10));
                    response.end(json.substring(10));
                }
            };
            if (delayMillis > 0) {
                vertx.setTimer(delayMillis, t -> send.run());
            } else {
                send.run();
            }
        });
    }

    @Override
    public void close() throws Exception {
        for (String id : List.copyOf(registered)) {
            stop(id);
        }
    }
}
