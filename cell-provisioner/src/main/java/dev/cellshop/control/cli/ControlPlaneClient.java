package dev.cellshop.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The CLI's way to the control plane: its HTTP API, with the platform token from
 * {@code CELLSHOP_PLATFORM_TOKEN}, else from {@code secrets/platform-token} of the state
 * directory ({@code CELLSHOP_STATE_DIR}, default {@code .cellshop}). Address from
 * {@code CELLSHOP_CONTROL_URL}, else {@code http://127.0.0.1:$CELLSHOP_CONTROL_PORT}.
 */
final class ControlPlaneClient {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    private ControlPlaneClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    static ControlPlaneClient fromEnvironment(Map<String, String> env) {
        String url = env.get("CELLSHOP_CONTROL_URL");
        if (url == null || url.isBlank()) {
            url = "http://127.0.0.1:" + env.getOrDefault("CELLSHOP_CONTROL_PORT", "8090");
        }
        return new ControlPlaneClient(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), token(env));
    }

    private static String token(Map<String, String> env) {
        String token = env.get("CELLSHOP_PLATFORM_TOKEN");
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        Path file = Path.of(env.getOrDefault("CELLSHOP_STATE_DIR", ".cellshop"), "secrets", "platform-token");
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CliFailure(CliFailure.USAGE, "no platform token: set CELLSHOP_PLATFORM_TOKEN or start the platform"
                    + " ('ops/cellshop up' writes " + file + ")");
        }
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode post(String path, Object body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    }

    private JsonNode send(HttpRequest.Builder request) {
        // 2 minutes: a cell's certification run (instances, routing, canary checkout) answers only when it is over
        request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(120));
        String user = System.getProperty("user.name");
        if (user != null) {
            request.header("X-Cellshop-Actor", "cli:" + user);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliFailure(CliFailure.UNAVAILABLE, "the control plane is not reachable at " + base
                    + " (is the platform up? 'ops/cellshop status')");
        } catch (IOException e) {
            throw new CliFailure(CliFailure.UNAVAILABLE, "talking to the control plane at " + base + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.UNAVAILABLE, "interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            String detail = body != null && body.hasNonNull("detail") ? body.get("detail").asText() : response.body();
            throw new CliFailure(CliFailure.exitCodeOf(response.statusCode()), detail + " (HTTP " + response.statusCode() + ")");
        }
        return body;
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? null : Json.read(text, JsonNode.class);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
