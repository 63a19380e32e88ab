package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.testkit.JsonHttp;
import dev.cellshop.testkit.PlatformEndpoints;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The test platform's control plane (and router) over HTTP, as a client of the external contract. */
final class ControlPlaneApi {

    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            return Json.read(body, JsonNode.class);
        }
    }

    // A shop is routed by its domain in Host; the JDK client sends its own Host unless
    // jdk.httpclient.allowRestrictedHeaders=host, set for the whole test JVM (parent pom).

    private final PlatformEndpoints platform;
    private final String controlPlane; // host:port

    ControlPlaneApi(PlatformEndpoints platform) {
        this(platform, platform.controlPlane());
    }

    private ControlPlaneApi(PlatformEndpoints platform, String controlPlane) {
        this.platform = platform;
        this.controlPlane = controlPlane;
    }

    /** The same client, talking to another control plane ({@code host:port}) of the platform. */
    ControlPlaneApi at(String otherControlPlane) {
        return new ControlPlaneApi(platform, otherControlPlane);
    }

    Reply call(String method, String path, String body, String token) {
        return send("http://" + controlPlane + path, method, body,
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    /** A call with the platform token and more headers. */
    Reply callWith(String method, String path, String body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Authorization", "Bearer " + platform.platformToken());
        return send("http://" + controlPlane + path, method, body, all);
    }

    Reply get(String path) {
        return call("GET", path, null, platform.platformToken());
    }

    Reply post(String path, Object body) {
        return call("POST", path, Json.write(body), platform.platformToken());
    }

    Reply createShop(String name, String domain) {
        return post("/v1/shops", Map.of("name", name, "domain", domain));
    }

    /** A new shop placed on {@code cell}, once the router routes it; the creation's reply (shopId, adminToken). */
    Reply shopOn(String cell, String name) {
        Reply created = post("/v1/shops", Map.of("name", name, "domain", "s-" + System.nanoTime() + ".example.test", "cell", cell));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String shop = created.json().get("shopId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> router("GET", "/api/v1/products", null, Map.of("X-Shop-Id", shop)).status() == 200);
        return created;
    }

    Reply router(String method, String path, String body, Map<String, String> headers) {
        return send("http://" + platform.router() + path, method, body, headers);
    }

    private static Reply send(String url, String method, String body, Map<String, String> headers) {
        HttpResponse<String> response = JsonHttp.send(url, method, body, headers);
        return new Reply(response.statusCode(), response.body(), response);
    }
}
