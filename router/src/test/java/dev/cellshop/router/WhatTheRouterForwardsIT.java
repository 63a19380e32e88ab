package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What reaches a cell, tried as an attacker would: the cells' /internal endpoints in every
 * spelling, the router's own paths with a shop named, request framing that two servers could
 * read two ways.
 */
@ExtendWith(LocalPlatformExtension.class)
class WhatTheRouterForwardsIT {

    private static OneShopRouter fixture;
    private static RunningRouter router;
    private static EchoCell cell;
    private static ShopId shop;

    @BeforeAll
    static void start(PlatformEndpoints platform) throws Exception {
        fixture = OneShopRouter.start(platform, "forwards-it", Map.of());
        router = fixture.router();
        cell = fixture.cell();
        shop = fixture.shop();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void no_spelling_of_an_internal_path_reaches_a_cell() throws Exception {
        String quiescence = "/v1/shops/" + shop + "/quiescence";
        String[] spellings = {"/internal" + quiescence, "/api/v1/../../internal" + quiescence, "/%69nternal" + quiescence,
                "//internal" + quiescence, "/api/v1/%2e%2e/%2e%2e/internal" + quiescence, "/./internal" + quiescence,
                "/INTERNAL" + quiescence, "http://router/internal" + quiescence, "/api/v1/%2E%2E/%2e./internal" + quiescence,
                "/api/v1/..%2Finternal" + quiescence, "/%2e%2e/internal" + quiescence};
        for (String spelling : spellings) {
            try (RawClient client = new RawClient(router.port)) {
                String response = client.get(spelling, shop);
                assertThat(RawClient.status(response)).as(spelling).isIn(400, 404);
                assertThat(response).as(spelling).contains("application/problem+json").doesNotContain("X-Cellshop-Cell");
            }
        }
        assertThat(cell.targets).as("what reached the cell").noneMatch(t -> t.toLowerCase().contains("internal"));
    }

    @Test
    void the_routers_own_paths_are_answered_by_the_router_whatever_the_shop_headers() throws Exception {
        int before = cell.requests.get();
        for (String spelling : new String[] {"/metrics", "/health", "/api/../ready", "//ready", "/%6detrics", "/metrics/",
                "/health/x", "/Ready"}) {
            try (RawClient client = new RawClient(router.port)) {
                String head = client.get(spelling, shop);
                assertThat(head).as(spelling).isNotNull().doesNotContain("X-Cellshop-Cell");
                if (spelling.equals("/metrics") || spelling.equals("/health")) {
                    assertThat(RawClient.status(head)).as(spelling).isEqualTo(200);
                }
            }
        }
        assertThat(cell.requests.get()).as("none of them reached the cell").isEqualTo(before);
    }

    @Test
    void a_cell_gets_the_canonical_path_the_router_decided_on_with_the_query_as_sent() throws Exception {
        try (RawClient client = new RawClient(router.port)) {
            String response = client.get("/api/v1/./products//%41bc/x/../%7e?q=%2e%2e/a%20b", shop);
            assertThat(RawClient.status(response)).as(response).isEqualTo(200);
            assertThat(response).contains("\"uri\":\"/api/v1/products/Abc/~?q=%2e%2e/a%20b\"");
        }
    }

    @Test
    void targets_that_cannot_be_made_canonical_get_400_problem_json() throws Exception {
        int before = cell.requests.get();
        for (String target : new String[] {"/../api/v1/products", "/api/v1/%2e%2e/%2e%2e/%2e%2e/x", "/api%2Fv1/products",
                "/api/v1/products%00", "/api/v1/%zzproducts"}) {
            try (RawClient client = new RawClient(router.port)) {
                String response = client.get(target, shop);
                assertThat(RawClient.status(response)).as(target).isEqualTo(400);
                assertThat(response).as(target).contains("application/problem+json").contains("request target");
            }
        }
        assertThat(cell.requests.get()).isEqualTo(before);
    }

    @Test
    void a_transfer_encoding_other_than_chunked_alone_gets_400_and_what_follows_is_never_read_as_a_request() throws Exception {
        String smuggled = "GET /internal/v1/shops/" + shop + "/quiescence HTTP/1.1\r\nHost: router\r\nX-Shop-Id: " + shop + "\r\n\r\n";
        for (String coding : new String[] {"gzip", "chunked, gzip", "identity", "gzip, chunked"}) {
            int before = cell.requests.get();
            try (RawClient client = new RawClient(router.port)) {
                client.send("POST /api/v1/carts HTTP/1.1\r\nHost: router\r\nX-Shop-Id: " + shop + "\r\nTransfer-Encoding: " + coding
                        + "\r\n\r\n" + "0\r\n\r\n" + smuggled);
                String response = client.response();
                assertThat(RawClient.status(response)).as(coding).isEqualTo(400);
                assertThat(response).as(coding).contains("Transfer-Encoding").containsIgnoringCase("connection: close");
                assertThat(client.closedByRouter()).as(coding + ": the connection ends with the answer").isTrue();
            }
            assertThat(cell.requests.get()).as(coding).isEqualTo(before);
        }
    }

    @Test
    void content_length_with_transfer_encoding_gets_400_and_the_connection_closes() throws Exception {
        int before = cell.requests.get();
        try (RawClient client = new RawClient(router.port)) {
            client.send("POST /api/v1/carts HTTP/1.1\r\nHost: router\r\nX-Shop-Id: " + shop
                    + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
            String response = client.response();
            assertThat(RawClient.status(response)).isEqualTo(400);
            assertThat(response).contains("not both");
            assertThat(client.closedByRouter()).isTrue();
        }
        assertThat(cell.requests.get()).isEqualTo(before);
    }

    @Test
    void a_chunk_size_that_overflows_is_refused_and_the_cell_never_gets_the_request_whole() throws Exception {
        String target = "/api/v1/carts/overflow-" + UUID.randomUUID();
        try (RawClient client = new RawClient(router.port)) {
            client.send("POST " + target + " HTTP/1.1\r\nHost: router\r\nX-Shop-Id: " + shop
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nffffffffffffffffff\r\nworld\r\n0\r\n\r\n");
            String response = client.response();
            assertThat(response == null || RawClient.status(response) == 400).as(String.valueOf(response)).isTrue();
            assertThat(client.closedByRouter()).isTrue();
        }
        // Whatever of the head went ahead, the cell's connection was cut: no request reached a handler whole.
        await().during(java.time.Duration.ofMillis(500)).until(() -> cell.received.stream().noneMatch(r -> r.getString("uri").equals(target)));
    }
}
