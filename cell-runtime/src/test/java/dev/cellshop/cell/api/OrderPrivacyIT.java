package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.kernel.signing.Digests;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Order ids are time-ordered, so guessable: a shopper reads an order only with its token (issue 16, item 1). */
class OrderPrivacyIT extends CellApiTest {

    @Test
    void an_order_read_without_its_token_or_with_a_wrong_one_is_the_same_404_as_an_unknown_order() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        JsonObject order = placeOrder(shop, "priv-1", "secret.buyer@example.com");
        JsonObject other = placeOrder(shop, "priv-2", "other.buyer@example.com");
        String id = order.getString("id");
        long unknownId = Long.parseLong(id) + 1;

        HttpResponse<String> noToken = cell.send("GET", "/api/v1/orders/" + id, shop, null);
        HttpResponse<String> wrongToken = cell.send("GET", "/api/v1/orders/" + id, shop, null, "X-Order-Token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        HttpResponse<String> anotherOrdersToken = cell.send("GET", "/api/v1/orders/" + id, shop, null, "X-Order-Token", other.getString("orderToken"));
        HttpResponse<String> unknown = cell.send("GET", "/api/v1/orders/" + unknownId, shop, null, "X-Order-Token", order.getString("orderToken"));

        for (HttpResponse<String> refused : List.of(noToken, wrongToken, anotherOrdersToken)) {
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body()).doesNotContain("secret.buyer@example.com")
                    .isEqualTo(unknown.body().replace(Long.toString(unknownId), id));
        }
        assertThat(json(noToken).getString("detail")).contains("X-Order-Token");
    }

    @Test
    void an_order_read_with_its_token_answers_the_order_and_the_shard_and_the_events_keep_no_token() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        JsonObject order = placeOrder(shop, "priv-3", "ada@example.com");
        String token = order.getString("orderToken");

        HttpResponse<String> read = cell.readOrder(shop, order);

        assertThat(token).matches("[A-Za-z0-9_-]{43}"); // 256 random bits, base64url
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read).getString("email")).isEqualTo("ada@example.com");
        assertThat(json(read).containsKey("orderToken")).as("the token is given out once, by the checkout").isFalse();
        assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ? AND id = ? AND HEX(token_sha256) = ?",
                shop.id().value(), Long.parseLong(order.getString("id")), HexFormat.of().withUpperCase().formatHex(Digests.sha256(token))))
                .as("only the token's SHA-256 is in the order's row").isEqualTo(1);
        assertThat(cell.orderEvents(shop, 1)).singleElement().satisfies(event -> assertThat(event.encode()).doesNotContain(token));
    }

    @Test
    void retries_of_a_checkout_under_one_idempotency_key_all_answer_the_same_order_token() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "TOK", 100, 10);
        String cart = cell.cart(shop, variant, 1);
        List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            racing.add(cell.checkoutAsync(shop, cart, "race@example.com", "priv-race"));
        }
        List<HttpResponse<String>> answers = new ArrayList<>(racing.stream().map(CompletableFuture::join).toList());
        answers.add(cell.checkout(shop, cart, "race@example.com", "priv-race")); // after the cart is gone

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(201);
        String token = json(answers.get(0)).getString("orderToken");
        assertThat(answers).extracting(a -> json(a).getString("orderToken")).containsOnly(token);
        assertThat(cell.readOrder(shop, json(answers.get(answers.size() - 1))).statusCode()).isEqualTo(200);
    }

    @Test
    void the_merchant_reads_any_order_of_the_shop_by_id_also_one_made_before_order_tokens_which_shoppers_cannot() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        RunningCell.Shop otherShop = cell.createShop();
        JsonObject order = placeOrder(shop, "priv-4", "old@example.com");
        String id = order.getString("id");
        cell.execute("UPDATE orders SET token_sha256 = NULL WHERE shop_id = ? AND id = ?", shop.id().value(), Long.parseLong(id));

        HttpResponse<String> shopperRead = cell.readOrder(shop, order);
        HttpResponse<String> merchantRead = cell.admin("GET", "/admin/v1/orders/" + id, shop, null);
        HttpResponse<String> otherMerchantRead = cell.admin("GET", "/admin/v1/orders/" + id, otherShop, null);
        HttpResponse<String> noAdminToken = cell.send("GET", "/admin/v1/orders/" + id, shop, null);

        assertThat(shopperRead.statusCode()).as("an order without a token hash is the admin API's only").isEqualTo(404);
        assertThat(merchantRead.statusCode()).isEqualTo(200);
        assertThat(json(merchantRead).getString("email")).isEqualTo("old@example.com");
        assertThat(json(merchantRead).getString("id")).isEqualTo(id);
        assertThat(otherMerchantRead.statusCode()).isEqualTo(404);
        assertThat(otherMerchantRead.body()).doesNotContain("old@example.com");
        assertThat(noAdminToken.statusCode()).isEqualTo(401);
    }

    private JsonObject placeOrder(RunningCell.Shop shop, String key, String email) {
        String variant = cell.variant(shop, key.toUpperCase(), 500, 5);
        HttpResponse<String> answer = cell.checkout(shop, cell.cart(shop, variant, 1), email, key);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return json(answer);
    }
}
