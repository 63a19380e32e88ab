package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** What the router's logs never hold: a cart's token, its only credential. */
@ExtendWith(LocalPlatformExtension.class)
class RouterLogsIT {

    private static final ListAppender<ILoggingEvent> ACCESS = new ListAppender<>();

    private static OneShopRouter fixture;
    private static RunningRouter router;
    private static EchoCell cell;
    private static ShopId shop;

    @BeforeAll
    static void start(PlatformEndpoints platform) throws Exception {
        ACCESS.start();
        ((Logger) LoggerFactory.getLogger("dev.cellshop.router.access")).addAppender(ACCESS);
        fixture = OneShopRouter.start(platform, "logs-it", Map.of("CELLSHOP_ROUTER_ACCESS_LOG", "true"));
        router = fixture.router();
        cell = fixture.cell();
        shop = fixture.shop();
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger("dev.cellshop.router.access")).detachAppender(ACCESS);
        fixture.close();
    }

    @Test
    void the_access_log_line_of_a_cart_request_does_not_hold_the_carts_token() throws Exception {
        String token = "cart-" + UUID.randomUUID();
        assertThat(router.client.get("/api/v1/carts/" + token + "/items?orderToken=o-" + token, router.shopHeader(shop)).status())
                .isEqualTo(200);
        await().until(() -> lines().stream().anyMatch(line -> line.contains("/api/v1/carts/***/items")));
        assertThat(lines()).noneMatch(line -> line.contains(token));
    }

    private static java.util.List<String> lines() {
        synchronized (ACCESS) { // the appender appends holding its own lock
            return ACCESS.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
