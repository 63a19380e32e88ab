package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A client's mistake gets a problem+json 4xx that says what is wrong, and changes nothing. */
@ExtendWith(LocalPlatformExtension.class)
class BadInputIT {

    private static RunningCell cell;
    private static RunningCell.Shop shop;
    private static String variant;
    private static String cart;

    @BeforeAll
    static void start(PlatformEndpoints platform) throws Exception {
        cell = new RunningCell(platform);
        shop = cell.createShop();
        variant = json(cell.admin("POST", "/admin/v1/products", shop,
                "{\"title\": \"Base\", \"variants\": [{\"sku\": \"BASE\", \"price\": {\"amount\": 100, \"currency\": \"EUR\"}, \"inventory\": 5}]}"))
                .getJsonArray("variants").getJsonObject(0).getString("id");
        cart = json(cell.send("POST", "/api/v1/carts", shop, null)).getString("cartToken");
    }

    @AfterAll
    static void stop() throws Exception {
        cell.close();
    }

    static Stream<Arguments> mistakes() {
        String product = "{\"title\": \"T\", \"variants\": [{\"sku\": \"S\", \"price\": {\"amount\": %s, \"currency\": \"%s\"}, \"inventory\": %s}]}";
        return Stream.of(
                Arguments.of("malformed JSON", "POST", "/admin/v1/products", "{\"title\": ", 400, "not valid JSON"),
                Arguments.of("a JSON array instead of an object", "POST", "/admin/v1/products", "[1, 2]", 400, "JSON"),
                Arguments.of("a missing title", "POST", "/admin/v1/products", "{\"variants\": []}", 400, "title is required"),
                Arguments.of("a title of the wrong type", "POST", "/admin/v1/products", "{\"title\": 5, \"variants\": []}", 400, "title must be a string"),
                Arguments.of("no variants", "POST", "/admin/v1/products", "{\"title\": \"T\", \"variants\": []}", 400, "variants must hold 1 to 100"),
                Arguments.of("a price with a fraction of a cent", "POST", "/admin/v1/products", product.formatted("19.999", "EUR", "1"), 400, "variants[0].price.amount must be a whole number"),
                Arguments.of("a negative price", "POST", "/admin/v1/products", product.formatted("-1", "EUR", "1"), 400, "between 0 and"),
                Arguments.of("an unknown currency", "POST", "/admin/v1/products", product.formatted("100", "XYZ", "1"), 400, "XYZ"),
                Arguments.of("a negative inventory", "POST", "/admin/v1/products", product.formatted("100", "EUR", "-5"), 400, "inventory must be between 0"),
                Arguments.of("a huge inventory", "POST", "/admin/v1/products", product.formatted("100", "EUR", "99999999999"), 400, "inventory must be between 0"),
                Arguments.of("a zero quantity", "POST", "/api/v1/carts/{cart}/items", "{\"variantId\": \"{variant}\", \"quantity\": 0}", 400, "quantity must be between 1 and 1000"),
                Arguments.of("a negative quantity", "POST", "/api/v1/carts/{cart}/items", "{\"variantId\": \"{variant}\", \"quantity\": -3}", 400, "quantity must be between 1 and 1000"),
                Arguments.of("a huge quantity", "POST", "/api/v1/carts/{cart}/items", "{\"variantId\": \"{variant}\", \"quantity\": 1000000000000}", 400, "quantity must be between 1 and 1000"),
                Arguments.of("a quantity as a string", "POST", "/api/v1/carts/{cart}/items", "{\"variantId\": \"{variant}\", \"quantity\": \"2\"}", 400, "quantity must be a whole number"),
                Arguments.of("an unknown variant", "POST", "/api/v1/carts/{cart}/items", "{\"variantId\": \"12345\", \"quantity\": 1}", 404, "no variant 12345"),
                Arguments.of("an unknown cart", "GET", "/api/v1/carts/AAAAAAAAAAAAAAAAAAAAAA", null, 404, "no cart"),
                Arguments.of("a malformed cart token", "GET", "/api/v1/carts/not-a-token", null, 404, "no cart"),
                Arguments.of("an unknown product", "GET", "/api/v1/products/42", null, 404, "no product 42"),
                Arguments.of("a product id that is not a number", "GET", "/api/v1/products/abc", null, 404, "no product abc"),
                Arguments.of("an unknown order", "GET", "/api/v1/orders/42", null, 404, "no order 42"),
                Arguments.of("an unknown route", "GET", "/api/v1/nothing-here", null, 404, "no such resource"),
                Arguments.of("a bad page size", "GET", "/api/v1/products?limit=0", null, 400, "limit must be 1 to 100"),
                Arguments.of("a bad cursor", "GET", "/api/v1/products?cursor=xyz", null, 400, "cursor"),
                Arguments.of("a checkout without Idempotency-Key", "POST", "/api/v1/checkouts", "{\"cartToken\": \"{cart}\", \"email\": \"a@b.co\"}", 400, "Idempotency-Key header is required"),
                Arguments.of("an unknown order action", "POST", "/admin/v1/orders/1/refund", null, 404, "no order action 'refund'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void a_client_mistake_gets_a_problem_that_names_it(String mistake, String method, String path, String body, int status, String detail) {
        String p = path.replace("{cart}", cart).replace("{variant}", variant);
        String b = body == null ? null : body.replace("{cart}", cart).replace("{variant}", variant);

        HttpResponse<String> response = cell.admin(method, p, shop, b);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).getString("detail")).contains(detail);
        assertThat(json(response).getInteger("status")).isEqualTo(status);
    }

    @Test
    void a_body_over_the_limit_is_refused_with_413() {
        String big = "{\"title\": \"" + "x".repeat(70_000) + "\", \"variants\": []}";

        HttpResponse<String> response = cell.admin("POST", "/admin/v1/products", shop, big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void unknown_fields_are_ignored_and_sql_injection_strings_are_stored_verbatim_and_harmless() throws Exception {
        String evil = "Robert'); DROP TABLE products; --";

        HttpResponse<String> created = cell.admin("POST", "/admin/v1/products", shop, "{\"title\": \"" + evil.replace("\"", "\\\"")
                + "\", \"colour\": \"red\", \"variants\": [{\"sku\": \"' OR 1=1 --\", \"price\": {\"amount\": 1, \"currency\": \"EUR\"}, \"inventory\": 1, \"x\": true}]}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(cell.send("GET", "/api/v1/products/" + json(created).getString("id"), shop, null)).getString("title")).isEqualTo(evil);
        assertThat(cell.queryLong("SELECT COUNT(*) FROM products WHERE shop_id = ?", shop.id().value())).isEqualTo(2);
    }

    @Test
    void a_product_with_a_sku_another_variant_of_the_shop_has_is_a_409_naming_that_sku_and_writes_nothing() throws Exception {
        RunningCell.Shop shop = cell.createShop(); // its own: other tests count this class's shop's products
        cell.variant(shop, "DUP-RED", 100, 1);
        long productsBefore = cell.queryLong("SELECT COUNT(*) FROM products WHERE shop_id = ?", shop.id().value());

        HttpResponse<String> duplicate = cell.admin("POST", "/admin/v1/products", shop, """
                {"title": "Again", "variants": [
                  {"sku": "DUP-NEW", "price": {"amount": 100, "currency": "EUR"}, "inventory": 1},
                  {"sku": "DUP-RED", "price": {"amount": 100, "currency": "EUR"}, "inventory": 1}]}""");

        assertThat(duplicate.statusCode()).as(duplicate.body()).isEqualTo(409);
        assertThat(duplicate.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(duplicate).getString("detail")).isEqualTo("SKU 'DUP-RED' already used by another variant of this shop; SKUs are unique per shop");
        assertThat(json(duplicate).getJsonArray("skus")).containsExactly("DUP-RED");
        assertThat(duplicate.body()).doesNotContainIgnoringCase("duplicate entry").doesNotContain("variants_sku");
        assertThat(cell.queryLong("SELECT COUNT(*) FROM products WHERE shop_id = ?", shop.id().value())).isEqualTo(productsBefore);
    }

    @Test
    void a_checkout_of_an_empty_cart_or_a_bad_email_changes_nothing() throws Exception {
        String empty = json(cell.send("POST", "/api/v1/carts", shop, null)).getString("cartToken");

        HttpResponse<String> emptyCart = cell.send("POST", "/api/v1/checkouts", shop,
                "{\"cartToken\": \"" + empty + "\", \"email\": \"a@b.co\"}", "Idempotency-Key", "empty-1");
        HttpResponse<String> badEmail = cell.send("POST", "/api/v1/checkouts", shop,
                "{\"cartToken\": \"" + cart + "\", \"email\": \"not an email\"}", "Idempotency-Key", "bad-email-1");

        assertThat(emptyCart.statusCode()).isEqualTo(422);
        assertThat(badEmail.statusCode()).isEqualTo(400);
        assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ?", shop.id().value())).isZero();
        assertThat(cell.queryLong("SELECT COUNT(*) FROM idempotency_keys WHERE shop_id = ?", shop.id().value())).isZero();
    }
}
