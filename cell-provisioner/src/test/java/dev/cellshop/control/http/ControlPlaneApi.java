package dev.cellshop.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.testkit.PlatformEndpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final PlatformEndpoints platform;

    ControlPlaneApi(PlatformEndpoints platform) {
        this.platform = platform;
    }

    Reply call(String method, String path, String body, String token) {
        return send("http://" + platform.controlPlane() + path, method, body,
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
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

    Reply router(String method, String path, String body, Map<String, String> headers) {
        return send("http://" + platform.router() + path, method, body, headers);
    }

    private static Reply send(String url, String method, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
