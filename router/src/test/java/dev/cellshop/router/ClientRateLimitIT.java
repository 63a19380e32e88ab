package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-client limit: 3 requests at once, then 1 a second, per client address; clients come
 * from distinct loopback addresses, and 127.0.0.3 is a trusted proxy.
 */
@ExtendWith(LocalPlatformExtension.class)
class ClientRateLimitIT {

    private static final String TRUSTED_PROXY = "127.0.0.3";

    private static OneShopRouter fixture;
    private static RunningRouter router;
    private static EchoCell cell;
    private static ShopId shop;

    @BeforeAll
    static void start(PlatformEndpoints platform) throws Exception {
        fixture = OneShopRouter.start(platform, "client-limit-it", Map.of("CELLSHOP_LIMITS_CLIENT_RATE", "1", "CELLSHOP_LIMITS_CLIENT_BURST", "3",
                "CELLSHOP_LIMITS_TRUSTED_PROXIES", TRUSTED_PROXY + ",10.0.0.0/8"));
        router = fixture.router();
        cell = fixture.cell();
        shop = fixture.shop();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void a_client_over_its_limit_gets_429_with_retry_after_while_another_client_still_gets_through() throws Exception {
        try (RawClient greedy = new RawClient("127.0.0.2", router.port); RawClient other = new RawClient("127.0.0.4", router.port)) {
            for (int i = 0; i < 3; i++) {
                assertThat(RawClient.status(greedy.get("/api/v1/products", shop))).as("request %d of the burst", i).isEqualTo(200);
            }
            String limited = greedy.get("/api/v1/products", shop);
            assertThat(RawClient.status(limited)).isEqualTo(429);
            assertThat(limited).contains("application/problem+json").containsIgnoringCase("Retry-After: 1");
            assertThat(RawClient.status(other.get("/api/v1/products", shop))).as("another client").isEqualTo(200);
        }
        assertThat(router.client.get("/metrics", Map.of()).body()).containsPattern("cellshop_router_client_limited_total [1-9]");
    }

    @Test
    void x_forwarded_for_from_an_untrusted_peer_is_ignored() throws Exception {
        try (RawClient client = new RawClient("127.0.0.5", router.port)) {
            for (int i = 0; i < 3; i++) {
                assertThat(RawClient.status(client.get("/api/v1/products", shop, "X-Forwarded-For: 198.51.100." + i))).isEqualTo(200);
            }
            assertThat(RawClient.status(client.get("/api/v1/products", shop, "X-Forwarded-For: 198.51.100.99")))
                    .as("a fresh forwarded address buys no fresh bucket").isEqualTo(429);
        }
    }

    @Test
    void x_forwarded_for_from_a_trusted_proxy_names_the_client() throws Exception {
        try (RawClient proxy = new RawClient(TRUSTED_PROXY, router.port)) {
            for (int i = 0; i < 3; i++) {
                assertThat(RawClient.status(proxy.get("/api/v1/products", shop, "X-Forwarded-For: 203.0.113.1"))).isEqualTo(200);
            }
            assertThat(RawClient.status(proxy.get("/api/v1/products", shop, "X-Forwarded-For: 203.0.113.1"))).isEqualTo(429);
            assertThat(RawClient.status(proxy.get("/api/v1/products", shop, "X-Forwarded-For: 6.6.6.6, 203.0.113.2, 10.1.2.3")))
                    .as("another client behind the proxies (a forged left part and a trusted hop are skipped)").isEqualTo(200);
        }
    }
}
