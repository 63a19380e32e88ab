package dev.cellshop.control.mover;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.InstanceDescriptor;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.signing.SignedRequest;
import dev.cellshop.kernel.topology.TopologyPaths;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The cutover's barrier on the source cell: after the shop's placement is FROZEN at
 * {@code epoch}, waits until every live instance of the source cell has seen that placement
 * (so it admits no new request of the shop) and has finished every request of the shop it
 * admitted before. Only then is the source's binlog position the shop's last write, and its
 * carts and outbox final. Bounded: an instance that never gets there fails the cutover
 * (the move then aborts back to the source).
 *
 * <p>Blocking: the mover's thread. Each question is signed like a router's request, since a
 * cell answers nothing unsigned.
 */
public final class SourceQuiescence {

    private final CuratorFramework curator;
    private final TopologyPaths paths;
    private final RequestSignature signature;
    private final HttpClient http;
    private final Duration limit;
    private final Duration poll;

    public SourceQuiescence(CuratorFramework curator, TopologyPaths paths, RequestSignature signature, Duration limit, Duration poll) {
        this.curator = curator;
        this.paths = paths;
        this.signature = signature;
        this.limit = limit;
        this.poll = poll;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Returns how long it waited; throws with each instance's last answer when the limit passes first. */
    public Duration await(ShopId shop, CellId source, long frozenEpoch) throws Exception {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        Map<String, String> lastAnswers = new LinkedHashMap<>();
        while (true) {
            lastAnswers.clear();
            boolean all = true;
            for (InstanceDescriptor instance : liveInstances(source)) {
                String answer = ask(instance, shop, frozenEpoch);
                lastAnswers.put(instance.instanceId(), answer);
                all &= answer.equals("quiescent");
            }
            long now = System.nanoTime();
            if (all) {
                return Duration.ofNanos(now - start);
            }
            if (now - deadline >= 0) {
                throw new IllegalStateException("cell " + source + " did not stop serving shop " + shop + " within "
                        + limit.toMillis() + " ms of its freeze at epoch " + frozenEpoch + ": " + lastAnswers);
            }
            Thread.sleep(poll.toMillis()); // the mover's own thread: waiting is its job here
        }
    }

    /** Asks every instance once, answers ignored: before the freeze, so the pause does not include connecting to them. */
    public void warmUp(ShopId shop, CellId source, long epoch) throws Exception {
        for (InstanceDescriptor instance : liveInstances(source)) {
            ask(instance, shop, epoch);
        }
    }

    private List<InstanceDescriptor> liveInstances(CellId cell) throws Exception {
        List<InstanceDescriptor> live = new ArrayList<>();
        List<String> children;
        try {
            children = curator.getChildren().forPath(paths.instances(cell));
        } catch (KeeperException.NoNodeException none) {
            return live; // no instance: nothing can serve the shop there
        }
        for (String child : children) {
            try {
                live.add(Json.read(curator.getData().forPath(paths.instance(cell, child)), InstanceDescriptor.class));
            } catch (KeeperException.NoNodeException left) {
                // it left while we listed: it serves nothing any more
            }
        }
        return live;
    }

    /** "quiescent", or what is still missing, in words for the failure message. */
    private String ask(InstanceDescriptor instance, ShopId shop, long epoch) {
        String path = "/internal/v1/shops/" + shop + "/quiescence";
        long now = System.currentTimeMillis();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + instance.address() + path))
                .timeout(Duration.ofSeconds(2));
        signature.headers(shop, epoch, now, SignedRequest.bodiless("GET", path)).forEach(builder::header); // a fresh nonce per poll
        HttpRequest request = builder.GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "answered " + response.statusCode();
            }
            JsonNode body = Json.read(response.body(), JsonNode.class);
            if (body.path("quiescent").asBoolean(false)) {
                return "quiescent";
            }
            return "at epoch " + body.path("epoch").asText("none") + ", " + body.path("inFlight").asInt() + " request(s) in flight";
        } catch (java.io.IOException e) {
            // A dead instance cannot write; one that only lost its connection to us still could.
            return "unreachable (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + instance.address(), e);
        }
    }
}
