package dev.cellshop.cell.api;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import static dev.cellshop.cell.api.RunningCell.json;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.signing.RequestSignature;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may reach a shop on this cell: only a router, only for a shop placed here, only that shop's merchant. */
class GatekeepingIT extends CellApiTest {

    @Test
    void a_request_without_the_routers_signature_is_refused_with_401() throws Exception {
        RunningCell.Shop shop = cell.createShop();

        HttpResponse<String> unsigned = cell.send("GET", "/api/v1/products", shop, null,
                RequestSignature.SIGNATURE_HEADER, "", RequestSignature.TIMESTAMP_HEADER, Long.toString(System.currentTimeMillis()));
        HttpResponse<String> forged = cell.send("GET", "/api/v1/products", shop, null,
                RequestSignature.SIGNATURE_HEADER, "v2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", RequestSignature.TIMESTAMP_HEADER, Long.toString(System.currentTimeMillis()));
        long old = System.currentTimeMillis() - 120_000;
        HttpResponse<String> stale = cell.send("GET", "/api/v1/products", shop, null,
                flat(without(cell.signed(shop.id(), 1, old, "GET", "/api/v1/products", null), RequestSignature.SHOP_ID_HEADER)));

        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(json(unsigned).getString("reason")).isEqualTo("MISSING");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(json(forged).getString("reason")).isEqualTo("BAD_SIGNATURE");
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(json(stale).getString("reason")).isEqualTo("STALE");
        assertThat(stale.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void a_shop_placed_on_another_cell_or_frozen_or_asked_at_an_old_epoch_is_misdirected_with_421() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        Placement here = Placement.initial(CellId.of("cell-a"));

        cell.place(shop, here.freeze());
        HttpResponse<String> frozen = cell.send("GET", "/api/v1/products", shop, null);
        assertThat(frozen.statusCode()).isEqualTo(421);
        assertThat(json(frozen).getString("detail")).contains("FROZEN");

        cell.place(shop, here.freeze().activateOn(CellId.of("cell-b")));
        HttpResponse<String> elsewhere = cell.send("GET", "/api/v1/products", shop, null);
        assertThat(elsewhere.statusCode()).isEqualTo(421);
        assertThat(json(elsewhere).getString("detail")).contains("placed on cell-b");

        Placement back = here.freeze().activateOn(CellId.of("cell-b")).freeze().activateOn(CellId.of("cell-a"));
        cell.place(shop, back);
        assertThat(cell.send("GET", "/api/v1/products", shop, null).statusCode()).isEqualTo(200);
        HttpResponse<String> oldEpoch = cell.send("GET", "/api/v1/products", shop, null,
                RequestSignature.EPOCH_HEADER, "1");
        assertThat(oldEpoch.statusCode()).as(oldEpoch.body()).isEqualTo(421);
        assertThat(json(oldEpoch).getString("detail")).contains("epoch 1 is stale");
    }

    @Test
    void a_request_signed_at_an_epoch_this_cell_has_not_seen_yet_waits_for_its_view_then_is_served() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        Placement cutover = Placement.initial(CellId.of("cell-a")).freeze().activateOn(CellId.of("cell-a")); // epoch 3
        // The router saw the cutover end before this cell did: its request carries epoch 3.
        CompletableFuture<HttpResponse<String>> ahead = cell.sendAsync("GET", "/api/v1/products", shop, null,
                RequestSignature.EPOCH_HEADER, "3");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !ahead.isDone());
        cell.place(shop, cutover);
        assertThat(ahead.get(10, TimeUnit.SECONDS).statusCode()).as("served once the view caught up").isEqualTo(200);

        long start = System.nanoTime();
        HttpResponse<String> never = cell.send("GET", "/api/v1/products", shop, null, RequestSignature.EPOCH_HEADER, "9");
        assertThat(never.statusCode()).isEqualTo(421);
        assertThat(json(never).getString("detail")).contains("epoch 9 is ahead");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a bounded wait").isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
    }

    @Test
    void another_shops_admin_token_opens_nothing_and_another_shops_order_id_finds_nothing() throws Exception {
        RunningCell.Shop a = cell.createShop();
        RunningCell.Shop b = cell.createShop();
        String variant = cell.variant(a, "A1", 100, 5);
        String cart = cell.cart(a, variant, 1);
        JsonObject answerToA = json(cell.send("POST", "/api/v1/checkouts", a,
                "{\"cartToken\": \"" + cart + "\", \"email\": \"a@example.com\"}", "Idempotency-Key", "iso-1"));
        String orderOfA = answerToA.getString("id");

        HttpResponse<String> bTokenOnA = cell.send("GET", "/admin/v1/orders", a, null, "Authorization", "Bearer " + b.adminToken());
        HttpResponse<String> noToken = cell.send("GET", "/admin/v1/orders", a, null);
        HttpResponse<String> bReadsAsOrder = cell.readOrder(b, answerToA);
        HttpResponse<String> bMerchantReadsAsOrder = cell.admin("GET", "/admin/v1/orders/" + orderOfA, b, null);
        HttpResponse<String> bPaysAsOrder = cell.admin("POST", "/admin/v1/orders/" + orderOfA + "/pay", b, null);
        HttpResponse<String> bReadsAsCart = cell.send("GET", "/api/v1/carts/" + cart, b, null);
        HttpResponse<String> bPatchesAsVariant = cell.admin("PATCH", "/admin/v1/variants/" + variant, b, "{\"inventory\": 0}");

        assertThat(bTokenOnA.statusCode()).isEqualTo(401);
        assertThat(bTokenOnA.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(bReadsAsOrder.statusCode()).isEqualTo(404);
        assertThat(bReadsAsOrder.body()).doesNotContain("a@example.com");
        assertThat(bMerchantReadsAsOrder.statusCode()).isEqualTo(404);
        assertThat(bMerchantReadsAsOrder.body()).doesNotContain("a@example.com");
        assertThat(bPaysAsOrder.statusCode()).isEqualTo(404);
        assertThat(bReadsAsCart.statusCode()).isEqualTo(404);
        assertThat(bPatchesAsVariant.statusCode()).isEqualTo(404);
        assertThat(cell.queryLong("SELECT inventory FROM variants WHERE shop_id = ? AND id = ?", a.id().value(), Long.parseLong(variant))).isEqualTo(4);
    }

    @Test
    void a_signed_request_whose_body_authorization_or_idempotency_key_was_altered_or_that_is_sent_again_is_refused_with_401()
            throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String path = "/admin/v1/products";
        String body = "{\"title\": \"SIGNED\", \"variants\": [{\"sku\": \"SIGNED-1\", \"price\": {\"amount\": 100,"
                + " \"currency\": \"EUR\"}, \"inventory\": 1}]}";
        String auth = "Bearer " + shop.adminToken();
        Map<String, String> signed = new LinkedHashMap<>(cell.signed(shop.id(), 1, System.currentTimeMillis(), "POST", path, body,
                "Authorization", auth, "Idempotency-Key", "k-1"));
        signed.put("Authorization", auth);
        signed.put("Idempotency-Key", "k-1");

        HttpResponse<String> otherBody = cell.send("POST", path, null, body.replace("SIGNED-1", "STOLEN-1"), flat(signed));
        HttpResponse<String> otherAuth = cell.send("POST", path, null, body, flat(with(signed, "Authorization", "Bearer x")));
        HttpResponse<String> otherKey = cell.send("POST", path, null, body, flat(with(signed, "Idempotency-Key", "k-2")));
        Map<String, String> keyless = new LinkedHashMap<>(signed);
        keyless.remove("Idempotency-Key");
        HttpResponse<String> noKey = cell.send("POST", path, null, body, flat(keyless));
        HttpResponse<String> genuine = cell.send("POST", path, null, body, flat(signed));
        HttpResponse<String> replayed = cell.send("POST", path, null, body, flat(signed));

        assertThat(otherBody.statusCode()).as(otherBody.body()).isEqualTo(401);
        assertThat(json(otherBody).getString("reason")).isEqualTo("BODY_MISMATCH");
        for (HttpResponse<String> altered : List.of(otherAuth, otherKey, noKey)) {
            assertThat(altered.statusCode()).as(altered.body()).isEqualTo(401);
            assertThat(json(altered).getString("reason")).isEqualTo("BAD_SIGNATURE");
        }
        assertThat(genuine.statusCode()).as(genuine.body()).isEqualTo(201);
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(401);
        assertThat(json(replayed).getString("reason")).isEqualTo("REPLAYED");
        assertThat(replayed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(cell.queryLong("SELECT COUNT(*) FROM variants WHERE shop_id = ?", shop.id().value()))
                .as("only the genuine request wrote").isEqualTo(1);

        String[] read = flat(cell.signed(shop.id(), 1, System.currentTimeMillis(), "GET", "/api/v1/products", null));
        assertThat(cell.send("GET", "/api/v1/products", null, null, read).statusCode()).isEqualTo(200);
        assertThat(cell.send("GET", "/api/v1/products", null, null, read).statusCode())
                .as("a read sent again is served: it changes nothing, and its answer was on the wire already").isEqualTo(200);
    }

    private static Map<String, String> without(Map<String, String> headers, String name) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        changed.remove(name);
        return changed;
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        changed.put(name, value);
        return changed;
    }

    /** The headers as the name/value list {@code send} takes. */
    private static String[] flat(Map<String, String> headers) {
        List<String> list = new ArrayList<>();
        headers.forEach((name, value) -> {
            list.add(name);
            list.add(value);
        });
        return list.toArray(String[]::new);
    }
}
