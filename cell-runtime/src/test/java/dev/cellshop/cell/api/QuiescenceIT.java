package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.signing.RequestSignature;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a move's cutover asks each instance of the source cell after freezing a shop: has it
 * seen the freeze, and has every request of the shop it admitted before finished? A checkout
 * held up inside its transaction (its stock row locked here) keeps the answer "no" until it commits.
 */
class QuiescenceIT extends CellApiTest {

    @Test
    void an_instance_is_quiescent_only_once_it_has_seen_the_freeze_and_its_last_admitted_request_of_the_shop_ended()
            throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "Q1", 500, 3);
        String cart = cell.cart(shop, variant, 1);
        Placement active = Placement.initial(CellId.of("cell-a"));
        Placement frozen = active.freeze();
        String path = "/internal/v1/shops/" + shop.id() + "/quiescence";

        JsonObject before = json(cell.send("GET", path, shop, null, RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch())));
        assertThat(before.getBoolean("quiescent")).as("the freeze is not placed yet").isFalse();
        assertThat(before.getLong("epoch")).isEqualTo(active.epoch());

        try (Connection lock = DriverManager.getConnection(cell.mysql.jdbcUrl(), cell.mysql.user(), cell.mysql.password())) {
            lock.setAutoCommit(false);
            try (PreparedStatement row = lock.prepareStatement("SELECT inventory FROM variants WHERE shop_id = ? AND id = ? FOR UPDATE")) {
                row.setLong(1, shop.id().value());
                row.setLong(2, Long.parseLong(variant));
                row.executeQuery().close();
            }
            // admitted at the old epoch, then stuck on the stock row inside its transaction
            CompletableFuture<HttpResponse<String>> checkout = cell.checkoutAsync(shop, cart, "q@example.com", "quiesce-1");
            await().atMost(Duration.ofSeconds(10)).until(() -> json(cell.send("GET", path, shop, null,
                    RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch()))).getInteger("inFlight") == 1);

            cell.place(shop, frozen);
            await().atMost(Duration.ofSeconds(10)).until(() -> json(cell.send("GET", path, shop, null,
                    RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch()))).getString("state").equals("FROZEN"));
            JsonObject stuck = json(cell.send("GET", path, shop, null, RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch())));
            assertThat(stuck.getBoolean("quiescent")).as("a write of the shop is still in flight").isFalse();
            assertThat(stuck.getInteger("inFlight")).isEqualTo(1);
            assertThat(cell.send("GET", "/api/v1/products", shop, null, RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch()))
                    .statusCode()).as("nothing new is admitted while frozen").isEqualTo(421);

            lock.commit();
            assertThat(checkout.join().statusCode()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> json(cell.send("GET", path, shop, null,
                RequestSignature.EPOCH_HEADER, Long.toString(frozen.epoch()))).getBoolean("quiescent"));
    }

    @Test
    void the_question_is_refused_unsigned_or_signed_for_another_shop() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        RunningCell.Shop other = cell.createShop();
        String path = "/internal/v1/shops/" + shop.id() + "/quiescence";

        HttpResponse<String> unsigned = cell.send("GET", path, shop, null, RequestSignature.SIGNATURE_HEADER, "",
                RequestSignature.TIMESTAMP_HEADER, Long.toString(System.currentTimeMillis()));
        HttpResponse<String> crossed = cell.send("GET", path, other, null);

        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(crossed.statusCode()).isEqualTo(400);
        assertThat(json(crossed).getString("detail")).contains("signed for shop " + other.id());
    }
}
