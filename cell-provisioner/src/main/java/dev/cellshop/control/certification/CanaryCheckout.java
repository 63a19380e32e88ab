package dev.cellshop.control.certification;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.control.shops.CreatedShop;
import dev.cellshop.kernel.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A shopper's and a merchant's first minute on the canary shop, through the router, as the
 * external contract says: a product with a variant, a cart, the item, a checkout with an
 * Idempotency-Key, the order read back. Every answer must be the expected 2xx from the cell
 * under test (its {@code X-Cellshop-Cell}) and no slower than the limit. Blocking.
 */
final class CanaryCheckout {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final CertificationSettings settings;
    private final CreatedShop canary;
    private final Map<String, Long> millis = new LinkedHashMap<>();

    CanaryCheckout(CertificationSettings settings, CreatedShop canary) {
        this.settings = settings;
        this.canary = canary;
    }

    /** The latency of each step in ms, in order, once every step passed. */
    Map<String, Long> run() throws CertificationFailure, InterruptedException {
        awaitRouted();
        JsonNode product = call("product", "POST", "/admin/v1/products", """
                {"title": "Certification canary", "variants": [
                  {"sku": "CANARY-1", "price": {"amount": 100, "currency": "EUR"}, "inventory": 5}]}""", 201, true);
        String variant = product.path("variants").path(0).path("id").asText();
        String cart = call("cart", "POST", "/api/v1/carts", "{}", 201, false).path("cartToken").asText();
        call("cart-item", "POST", "/api/v1/carts/" + cart + "/items", "{\"variantId\": \"" + variant + "\", \"quantity\": 1}",
                200, false);
        JsonNode order = call("checkout", "POST", "/api/v1/checkouts",
                "{\"cartToken\": \"" + cart + "\", \"email\": \"canary@cellshop.invalid\"}", 201, false);
        call("order", "GET", "/api/v1/orders/" + order.path("id").asText(), null, 200, false, "X-Order-Token", order.path("orderToken").asText());
        return millis;
    }

    /** The router learns the canary's placement through a watch: wait (bounded) until it routes it. */
    private void awaitRouted() throws CertificationFailure, InterruptedException {
        long deadline = System.nanoTime() + settings.instanceWait().toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = send("GET", "/api/v1/products", null, false);
            if (last != null && last.statusCode() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new CertificationFailure(canary.cellId() + " canary shop " + canary.shopId() + " not routed by router "
                + settings.router() + " within " + settings.instanceWait().toSeconds() + " s"
                + (last == null ? " (router unreachable)" : ": last answer HTTP " + last.statusCode() + " " + brief(last.body())));
    }

    /** {@code headers}: more request headers, as name, value, name, value... */
    private JsonNode call(String step, String method, String path, String body, int expected, boolean admin, String... headers)
            throws CertificationFailure {
        long start = System.nanoTime();
        HttpResponse<String> response = send(method, path, body, admin, headers);
        long took = (System.nanoTime() - start) / 1_000_000;
        if (response == null) {
            throw new CertificationFailure(canary.cellId() + " router " + settings.router() + " unreachable during canary " + step);
        }
        boolean ok = response.statusCode() == expected || expected == 200 && response.statusCode() == 201;
        if (!ok) {
            throw new CertificationFailure(canary.cellId() + " canary " + step + " through router " + settings.router()
                    + " answered HTTP " + response.statusCode() + ": " + brief(response.body()));
        }
        String servedBy = response.headers().firstValue("X-Cellshop-Cell").orElse("?");
        if (!servedBy.equals(canary.cellId().toString())) {
            throw new CertificationFailure(canary.cellId() + " canary " + step + " was served by cell " + servedBy);
        }
        if (took > settings.maxLatency().toMillis()) {
            throw new CertificationFailure(canary.cellId() + " canary " + step + " took " + took + " ms (limit "
                    + settings.maxLatency().toMillis() + " ms)");
        }
        millis.put(step, took);
        try {
            return Json.read(response.body(), JsonNode.class);
        } catch (RuntimeException e) {
            throw new CertificationFailure(canary.cellId() + " canary " + step + " answered no JSON: " + brief(response.body()));
        }
    }

    /** The response, or null when the router could not be reached at all. */
    private HttpResponse<String> send(String method, String path, String body, boolean admin, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + settings.router() + path))
                .timeout(Duration.ofSeconds(10)).header("X-Shop-Id", canary.shopId().toString())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (admin) {
            request.header("Authorization", "Bearer " + canary.adminToken());
        }
        if (path.equals("/api/v1/checkouts")) {
            request.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String brief(String body) {
        if (body == null) {
            return "";
        }
        try {
            JsonNode problem = Json.read(body, JsonNode.class);
            if (problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
        } catch (RuntimeException notJson) {
            // the raw text, shortened, below
        }
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
}
