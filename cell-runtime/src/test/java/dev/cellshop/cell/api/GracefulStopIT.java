package dev.cellshop.cell.api;

import static dev.cellshop.cell.api.RunningCell.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Stopping an instance (SIGTERM undeploys its verticle) lets the requests it has already taken finish. */
@ExtendWith(LocalPlatformExtension.class)
class GracefulStopIT {

    @Test
    void a_stop_refuses_new_connections_but_finishes_a_checkout_in_flight_before_it_completes(PlatformEndpoints platform)
            throws Exception {
        try (RunningCell cell = new RunningCell(platform)) {
            RunningCell.Shop shop = cell.createShop();
            String variant = cell.variant(shop, "STOP-1", 500, 5);
            String cart = cell.cart(shop, variant, 1);
            CompletableFuture<HttpResponse<String>> checkout;
            CompletableFuture<Void> stopped;
            // The variant's row lock: the checkout's stock decrement waits on it, in flight inside the instance.
            try (Connection blocker = cell.lockStock(shop, variant)) {
                checkout = cell.checkoutAsync(shop, cart, "stop@example.com", "stop-1");
                await().atMost(Duration.ofSeconds(10)).until(() -> cell.writesWaitingOnALock() > 0);

                stopped = cell.stop();

                await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(cell.port));
                assertThat(checkout).as("the checkout is still waiting for the row").isNotDone();
                assertThat(stopped).as("the stop waits for the checkout").isNotDone();
                blocker.rollback();
            }

            HttpResponse<String> response = checkout.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(201);
            stopped.get(30, TimeUnit.SECONDS);
            assertThat(cell.queryLong("SELECT COUNT(*) FROM orders WHERE shop_id = ? AND id = ?",
                    shop.id().value(), Long.parseLong(json(response).getString("id")))).isEqualTo(1);
            assertThat(cell.queryLong("SELECT inventory FROM variants WHERE shop_id = ? AND id = ?",
                    shop.id().value(), Long.parseLong(variant))).isEqualTo(4);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
