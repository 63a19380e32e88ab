package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.cell.schema.ShopFences;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The shop's fence row in the cell's own database refuses writes routed at an epoch it has
 * frozen, although this instance's placement view (never told of the freeze here, as if cut
 * off from ZooKeeper) still says the shop is ACTIVE at that epoch.
 */
class ShopFenceIT extends CellApiTest {

    @Test
    void every_kind_of_write_at_an_epoch_the_fence_froze_is_refused_with_421_and_writes_nothing_while_reads_go_on() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "F1", 700, 5);
        String cart = cell.cart(shop, variant, 1);
        HttpResponse<String> paid = cell.checkout(shop, cell.cart(shop, variant, 1), "f@example.com", "fence-0");
        String orderId = json(paid).getString("id");

        freeze(shop, 2);

        HttpResponse<String> checkout = cell.checkout(shop, cart, "f@example.com", "fence-1");
        assertThat(checkout.statusCode()).isEqualTo(421);
        assertThat(json(checkout).getString("detail")).contains("FROZEN at epoch 2");
        assertThat(cell.admin("PATCH", "/admin/v1/variants/" + variant, shop, "{\"inventory\": 50}").statusCode()).isEqualTo(421);
        assertThat(cell.admin("POST", "/admin/v1/orders/" + orderId + "/pay", shop, null).statusCode()).isEqualTo(421);
        assertThat(cell.admin("POST", "/admin/v1/products", shop, "{\"title\": \"late\", \"variants\": [{\"sku\": \"F2\","
                + " \"price\": {\"amount\": 1, \"currency\": \"EUR\"}, \"inventory\": 1}]}").statusCode()).isEqualTo(421);

        assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ?", shop.id().value())).isEqualTo(1);
        assertThat(cell.queryLong("SELECT inventory FROM variants WHERE shop_id = ? AND id = ?", shop.id().value(), Long.parseLong(variant)))
                .isEqualTo(4);
        assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ? AND status = 'PAID'", shop.id().value())).isZero();
        assertThat(cell.send("GET", "/api/v1/products", shop, null).statusCode()).as("reads are not fenced").isEqualTo(200);
    }

    @Test
    void a_freeze_waits_for_the_write_already_past_the_fence_and_every_later_write_is_refused() throws Exception {
        RunningCell.Shop shop = cell.createShop();
        String variant = cell.variant(shop, "F3", 700, 5);
        String first = cell.cart(shop, variant, 1);
        String second = cell.cart(shop, variant, 1);

        CompletableFuture<HttpResponse<String>> checkout;
        CompletableFuture<Void> freeze;
        try (Connection lock = cell.lockStock(shop, variant)) {
            // past the fence (its shared lock held), then stuck on the stock row
            checkout = cell.checkoutAsync(shop, first, "f@example.com", "fence-2");
            await().atMost(Duration.ofSeconds(5)).until(() -> cell.writesWaitingOnALock() > 0);
            freeze = CompletableFuture.runAsync(() -> {
                try {
                    freeze(shop, 2);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !freeze.isDone());
            lock.commit();
        }
        assertThat(checkout.join().statusCode()).as("the write that passed the fence before the freeze commits").isEqualTo(201);
        freeze.get();

        HttpResponse<String> late = cell.checkout(shop, second, "f@example.com", "fence-3");
        assertThat(late.statusCode()).isEqualTo(421);
        assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ?", shop.id().value())).isEqualTo(1);
    }

    private static void freeze(RunningCell.Shop shop, long epoch) throws Exception {
        try (Connection c = DriverManager.getConnection(cell.mysql.jdbcUrl(), cell.mysql.user(), cell.mysql.password())) {
            ShopFences.raise(c, shop.id().value(), ShopFences.State.FROZEN, epoch, Duration.ofSeconds(10));
        }
    }
}
