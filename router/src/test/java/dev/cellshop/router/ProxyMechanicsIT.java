package dev.cellshop.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.PlacementState;
import dev.cellshop.kernel.signing.RequestSignature;
import dev.cellshop.kernel.signing.SignedRequest;
import dev.cellshop.kernel.signing.Verification;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The router's proxying on its own: resolution, signing, header and body limits, retries, placement changes. */
@ExtendWith(LocalPlatformExtension.class)
class ProxyMechanicsIT {

    private static RunningRouter router;
    private static EchoCell north;
    private static EchoCell south;
    private static EchoCell slow;
    private static String secret;

    @BeforeAll
    static void start(PlatformEndpoints platform) throws Exception {
        secret = platform.signingSecret();
        TopologyPaths paths = new TopologyPaths("/proxy-it-" + UUID.randomUUID().toString().substring(0, 8));
        router = new RunningRouter(platform, paths, Map.of("CELLSHOP_LIMITS_MAX_BODY_BYTES", "200000",
                "CELLSHOP_LIMITS_MAX_HEADER_BYTES", "4096", "CELLSHOP_UPSTREAM_RESPONSE_TIMEOUT", "2s",
                "CELLSHOP_UPSTREAM_MAX_IN_FLIGHT", "3")); // one test fills it; the others send one request at a time
        north = new EchoCell(router.vertx, router.curator, paths, "north");
        south = new EchoCell(router.vertx, router.curator, paths, "south");
        slow = new EchoCell(router.vertx, router.curator, paths, "slow");
        north.startInstance();
        south.startInstance();
        slow.startInstance();
    }

    @AfterAll
    static void stop() throws Exception {
        north.close();
        south.close();
        slow.close();
        router.close();
    }

    @Test
    void routesByHeaderAndByDomainToTheShopsCellAndSignsForIt() throws Exception {
        ShopId onNorth = RunningRouter.newShopId();
        ShopId onSouth = RunningRouter.newShopId();
        router.place(onNorth, "north", PlacementState.ACTIVE, 3);
        router.place(onSouth, "south", PlacementState.ACTIVE, 1);
        String domain = "shop-" + onSouth.value() + ".example.test";
        router.domain(domain, onSouth);

        Reply byHeader = await().until(() -> router.client.get("/api/v1/products?limit=5", router.shopHeader(onNorth)), r -> r.status() == 200);
        assertThat(byHeader.header("X-Cellshop-Cell")).isEqualTo("north");
        assertThat(byHeader.json().getString("cell")).isEqualTo("north");
        assertSignedFor(byHeader.json(), onNorth, 3, "GET", "/api/v1/products?limit=5");

        Reply byDomain = await().until(() -> router.client.get("/api/v1/products", Map.of("Host", domain.toUpperCase() + ":8080")),
                r -> r.status() == 200);
        assertThat(byDomain.header("X-Cellshop-Cell")).isEqualTo("south");
        assertSignedFor(byDomain.json(), onSouth, 1, "GET", "/api/v1/products");
    }

    @Test
    void unknownShopsAndDomainsGetProblems() {
        Reply unknownShop = router.client.get("/api/v1/products", Map.of("X-Shop-Id", "987654321"));
        assertThat(unknownShop.status()).isEqualTo(404);
        assertThat(unknownShop.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(unknownShop.json().getString("detail")).contains("987654321");

        Reply badId = router.client.get("/api/v1/products", Map.of("X-Shop-Id", "'; DROP TABLE shops; --"));
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().getString("detail")).contains("X-Shop-Id");

        Reply unknownDomain = router.client.get("/api/v1/products", Map.of("Host", "nobody.example.test"));
        assertThat(unknownDomain.status()).isEqualTo(404);
        assertThat(unknownDomain.json().getString("detail")).contains("nobody.example.test");
    }

    @Test
    void clientSuppliedCellshopHeadersNeverReachACell() throws Exception {
        ShopId shop = RunningRouter.newShopId();
        ShopId victim = RunningRouter.newShopId();
        router.place(shop, "north", PlacementState.ACTIVE, 1);
        Map<String, String> spoofed = new HashMap<>(router.shopHeader(shop));
        spoofed.put("X-Cellshop-Shop-Id", victim.toString());
        spoofed.put("x-cellshop-epoch", "99");
        spoofed.put("X-CELLSHOP-SIGNATURE", "forged");
        spoofed.put("X-Cellshop-Anything", "x");
        spoofed.put("Keep-Alive", "timeout=5");          // hop-by-hop: about the client's connection, not for the cell
        spoofed.put("Proxy-Authorization", "Basic eDp5");
        Reply reply = await().until(() -> router.client.get("/api/v1/orders/1", spoofed), r -> r.status() == 200);
        JsonObject headers = reply.json().getJsonObject("headers");
        assertThat(headers.containsKey("keep-alive")).isFalse();
        assertThat(headers.containsKey("proxy-authorization")).isFalse();
        assertThat(headers.getString("x-cellshop-shop-id")).isEqualTo(shop.toString());
        assertThat(headers.getString("x-cellshop-epoch")).isEqualTo("1");
        assertThat(headers.containsKey("x-cellshop-anything")).isFalse();
        assertSignedFor(reply.json(), shop, 1, "GET", "/api/v1/orders/1");
    }

    @Test
    void aCellThatSendsNothingWithinTheResponseTimeoutGets504AndASlowButTimelyOneIsServed() throws Exception {
        ShopId shop = RunningRouter.newShopId();
        router.place(shop, "slow", PlacementState.ACTIVE, 1);
        await().until(() -> router.client.get("/api/v1/products", router.shopHeader(shop)).status() == 200);

        slow.delayMillis = 500; // well inside the router's 2 s: answered
        assertThat(router.client.get("/api/v1/products", router.shopHeader(shop)).status()).isEqualTo(200);

        slow.delayMillis = 6_000; // past it: the router gives up at about 2 s
        Reply late = router.client.get("/api/v1/products", router.shopHeader(shop));
        assertThat(late.status()).isEqualTo(504);
        assertThat(late.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(late.json().getString("detail")).contains("slow").contains("2000 ms");
        assertThat(late.nanos() / 1_000_000).as("answered at the timeout, within one sweep of it").isBetween(1_900L, 4_000L);
        slow.delayMillis = 0;
    }

    @Test
    void aKeptBodyIsHeldUntilItsCellAnswersAndFreedThen() throws Exception {
        ShopId shop = RunningRouter.newShopId();
        router.place(shop, "slow", PlacementState.ACTIVE, 1);
        await().until(() -> router.client.get("/api/v1/products", router.shopHeader(shop)).status() == 200);
        String body = "k".repeat(4_000); // under limits.replay-body-bytes: kept, to be signed and sent again
        slow.delayMillis = 1_000;
        try {
            Future<Reply> pending = router.client.send(HttpMethod.POST, "/admin/v1/products", router.shopHeader(shop), body);
            await().atMost(Duration.ofSeconds(5)).until(() -> bodyBytesHeld() >= 4_000);
            assertThat(pending.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            slow.delayMillis = 0;
        }
        for (int i = 0; i < 50; i++) { // before the fix every one of these stayed held: pooled memory leaked until the router stalled
            assertThat(router.client.call(HttpMethod.POST, "/admin/v1/products", router.shopHeader(shop), body).status()).isEqualTo(200);
        }
        assertThat(bodyBytesHeld()).as("every answered exchange let go of its body").isZero();
    }

    private static long bodyBytesHeld() {
        String metrics = router.client.get("/metrics", Map.of()).body();
        Matcher m = Pattern.compile("(?m)^cellshop_router_request_body_bytes ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(m.find()).as("the gauge is exposed").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void oversizedHeadersGet431AndOversizedBodies413() throws Exception {
        ShopId shop = RunningRouter.newShopId();
        router.place(shop, "north", PlacementState.ACTIVE, 1);
        await().until(() -> router.client.get("/api/v1/products", router.shopHeader(shop)).status() == 200);
        int before = north.requests.get();

        Map<String, String> huge = new HashMap<>(router.shopHeader(shop));
        huge.put("X-Padding", "p".repeat(8000));
        try (TestClient own = new TestClient(router.vertx, router.port)) { // the router closes that connection after its 431
            assertThat(own.get("/api/v1/products", huge).status()).isEqualTo(431);
        }

        Reply declared = router.client.call(HttpMethod.POST, "/admin/v1/products", router.shopHeader(shop), "b".repeat(200_001));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().getString("detail")).contains("200000");
        assertThat(north.requests.get()).as("nothing too large reached the cell").isEqualTo(before);

        Reply fits = router.client.call(HttpMethod.POST, "/admin/v1/products", router.shopHeader(shop), "c".repeat(150_000));
        assertThat(fits.status()).isEqualTo(200);
        assertThat(fits.json().getInteger("bodyBytes")).as("a large body streams through whole").isEqualTo(150_000);
    }

    @Test
    void misdirectedAnswersAreRetriedOnceWhenTheBodyCanBeSentAgain() throws Exception {
        ShopId shop = RunningRouter.newShopId();
        router.place(shop, "south", PlacementState.ACTIVE, 1);
        await().until(() -> router.client.get("/api/v1/products", router.shopHeader(shop)).status() == 200);
        south.statusOverride = r -> r.getHeader("X-Cellshop-Shop-Id").equals(shop.toString()) ? 421 : 200;
        try {
            int before = south.requests.get();
            assertThat(router.client.get("/api/v1/products", router.shopHeader(shop)).status()).isEqualTo(421);
            assertThat(south.requests.get() - before).as("GET: retried once").isEqualTo(2);

            before = south.requests.get();
            assertThat(router.client.call(HttpMethod.POST, "/api/v1/carts", router.shopHeader(shop), "{}").status()).isEqualTo(421);
            assertThat(south.requests.get() - before).as("POST without Idempotency-Key: a 421 means nothing was done: retried once")
                    .isEqualTo(2);

            before = south.requests.get();
            assertThat(router.client.call(HttpMethod.POST, "/admin/v1/products", router.shopHeader(shop), "p".repeat(100_000)).status())
                    .isEqualTo(421);
            assertThat(south.requests.get() - before).as("a body too large to keep was streamed: not sent again").isEqualTo(1);

            before = south.requests.get();
            Map<String, String> idempotent = new HashMap<>(router.shopHeader(shop));
            idempotent.put("Idempotency-Key", "k-" + UUID.randomUUID());
            assertThat(router.client.call(HttpMethod.POST, "/api/v1/checkouts", idempotent, "{\"cartToken\":\"t\"}").status()).isEqualTo(421);
            assertThat(south.requests.get() - before).as("POST with Idempotency-Key: retried once").isEqualTo(2);
        } finally {
            south.statusOverride = null;
        }
    }

    @Test
    void aMisdirectedRequestFollowsThePlacementItRefreshes() throws Exception {
        ShopId shop = RunningRouter.newShopId();
        router.place(shop, "south", PlacementState.ACTIVE, 1);
        await().until(() -> router.client.get("/api/v1/products", router.shopHeader(shop)).status() == 200);
        // The shop moved to north, and south knows before the router's watch fires: south
        // writes the new placement itself, then answers 421.
        south.statusOverride = r -> {
            if (!r.getHeader("X-Cellshop-Shop-Id").equals(shop.toString())) {
                return 200;
            }
            try {
                router.place(shop, "north", PlacementState.ACTIVE, 2);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return 421;
        };
        try {
            Map<String, String> idempotent = new HashMap<>(router.shopHeader(shop));
            idempotent.put("Idempotency-Key", "k-" + UUID.randomUUID());
            Reply reply = router.client.call(HttpMethod.POST, "/api/v1/checkouts", idempotent, "{\"cartToken\":\"abc\"}");
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("X-Cellshop-Cell")).isEqualTo("north");
            assertThat(reply.json().getString("body")).as("the replayed body").isEqualTo("{\"cartToken\":\"abc\"}");
            assertSignedFor(reply.json(), shop, 2, "POST", "/api/v1/checkouts");
            String firstNonce = south.received.getLast().getJsonObject("headers").getString("x-cellshop-nonce");
            assertThat(reply.json().getJsonObject("headers").getString("x-cellshop-nonce"))
                    .as("the retry is signed anew: the cell must not take it for a replay").isNotEqualTo(firstNonce);
        } finally {
            south.statusOverride = null;
        }
    }

    @Test
    void bodiesOfEveryFramingPassThroughWholeAndTheConnectionCarriesOn() throws Exception {
        String shopHeader = shopOnNorth();
        String requests = "POST /api/v1/chunked-in HTTP/1.1\r\nHost: r\r\n" + shopHeader + "Transfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"
                + "HEAD /api/v1/head HTTP/1.1\r\nHost: r\r\n" + shopHeader + "\r\n"
                + "GET /api/v1/chunked-out HTTP/1.1\r\nHost: r\r\n" + shopHeader + EchoCell.CHUNKED_ANSWER + ": 1\r\n"
                + "Connection: close\r\n\r\n";
        String answers = exchange(requests); // the router closes after the last

        String[] replies = answers.split("(?=HTTP/1.1 200 OK\r\n)");
        assertThat(replies).as("three answers on one connection, all 200").hasSize(3);
        assertThat(replies[0]).as("a chunked request's body reaches the cell whole")
                .contains("\"bodyBytes\":11").contains("\"body\":\"hello world\"");
        JsonObject chunkedIn = new JsonObject(replies[0].substring(replies[0].indexOf("\r\n\r\n") + 4));
        assertThat(chunkedIn.getJsonObject("headers").getString("content-length")).as("kept whole, so signed").isEqualTo("11");
        assertThat(replies[1]).as("a HEAD's answer is a head alone").contains("X-Cellshop-Cell: north\r\n").endsWith("\r\n\r\n");
        String chunked = replies[2];
        assertThat(chunked).contains("Transfer-Encoding: chunked\r\n").contains("Connection: close\r\n")
                .contains("X-Cellshop-Cell: north\r\n").endsWith("0\r\n\r\n");
        assertThat(dechunk(chunked.substring(chunked.indexOf("\r\n\r\n") + 4)).getString("uri")).isEqualTo("/api/v1/chunked-out");

        String old = exchange("GET /api/v1/http10 HTTP/1.0\r\n" + shopHeader + EchoCell.CHUNKED_ANSWER + ": 1\r\n\r\n");
        String head = old.substring(0, old.indexOf("\r\n\r\n"));
        assertThat(head).as("an HTTP/1.0 client cannot read chunks: it gets the data, ended by the close")
                .doesNotContainIgnoringCase("transfer-encoding").contains("Connection: close");
        assertThat(new JsonObject(old.substring(head.length() + 4)).getString("uri")).isEqualTo("/api/v1/http10");
    }

    @Test
    void aClientThatExpects100ContinueIsAskedForItsBodyByTheRouterOrRefusedWithoutIt() throws Exception {
        String shopHeader = shopOnNorth();
        try (Socket socket = new Socket("127.0.0.1", router.port)) {
            socket.setSoTimeout(5_000); // far below a client's wait before it sends anyway: the 100 must come
            socket.getOutputStream().write(("POST /api/v1/expecting HTTP/1.1\r\nHost: r\r\n" + shopHeader
                    + "Content-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String interim = "HTTP/1.1 100 Continue\r\n\r\n";
            byte[] first = socket.getInputStream().readNBytes(interim.length());
            assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo(interim);
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
            JsonObject echo = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(echo.getString("body")).isEqualTo("hello");
            assertThat(echo.getJsonObject("headers").fieldNames()).as("the expectation was the router's to meet").doesNotContain("expect");
        }
        String refused = exchange("POST /api/v1/expecting HTTP/1.1\r\nHost: r\r\n" + shopHeader
                + "Content-Length: 300000\r\nExpect: 100-continue\r\n\r\n"); // no body sent: the router closes after its answer
        assertThat(refused).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue").contains("connection: close");
    }

    @Test
    void anInstanceAtTheInFlightLimitShedsTheNextRequestsFastAndServesAgainOnceFree() throws Exception {
        try (EchoCell busy = new EchoCell(router.vertx, router.curator, router.paths, "busy")) {
            busy.startInstance();
            ShopId shop = RunningRouter.newShopId();
            router.place(shop, "busy", PlacementState.ACTIVE, 1);
            await().until(() -> router.client.get("/api/v1/products", router.shopHeader(shop)).status() == 200);
            busy.delayMillis = 1_500;
            int before = busy.requests.get();
            List<Future<Reply>> inFlight = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                inFlight.add(router.client.send(HttpMethod.GET, "/api/v1/products", router.shopHeader(shop), null));
            }
            await().until(() -> busy.requests.get() == before + 3); // the limit, all at the cell

            Reply shed = router.client.get("/api/v1/products", router.shopHeader(shop));
            assertThat(shed.status()).isEqualTo(503);
            assertThat(shed.header("Retry-After")).isEqualTo("1");
            assertThat(shed.json().getString("detail")).contains("Cell busy").contains("3 requests in flight");
            assertThat(shed.nanos() / 1_000_000).as("shed at once, not queued behind the slow ones").isLessThan(1_000L);
            assertThat(busy.requests.get()).as("the shed request never reached the cell").isEqualTo(before + 3);
            for (var reply : inFlight) {
                assertThat(reply.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            busy.delayMillis = 0;
            assertThat(router.client.get("/api/v1/products", router.shopHeader(shop)).status()).isEqualTo(200);
            assertThat(router.client.get("/metrics", Map.of()).body())
                    .contains("cellshop_router_errors_total{cell=\"busy\",kind=\"in_flight_limit\"} 1.0");
        }
    }

    @Test
    void aCellsMalformedAnswerGets502WithTheReasonAndTakesTheInstanceOut() throws Exception {
        AtomicInteger shopRequests = new AtomicInteger();
        // Two framings at once: the request-smuggling shape RFC 9112 forbids.
        NetServer server = rawInstance("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                false, shopRequests);
        try (EchoCell broken = new EchoCell(router.vertx, router.curator, router.paths, "broken")) {
            broken.register(server.actualPort());
            ShopId shop = RunningRouter.newShopId();
            router.place(shop, "broken", PlacementState.ACTIVE, 1);
            Reply[] last = new Reply[1];
            await().until(() -> (last[0] = router.client.call(HttpMethod.POST, "/api/v1/carts", router.shopHeader(shop), "{}"))
                    .status() == 502); // 404 and 503 until the router has the placement and the instance
            assertThat(last[0].json().getString("detail"))
                    .isEqualTo("Cell broken sent a malformed response: both Content-Length and Transfer-Encoding (RFC 9112 section 6.1)");
            int served = shopRequests.get();
            Reply next = router.client.call(HttpMethod.POST, "/api/v1/carts", router.shopHeader(shop), "{}");
            assertThat(next.status()).as("the broken instance is out of the pool for now").isEqualTo(503);
            assertThat(shopRequests.get()).isEqualTo(served);
            assertThat(router.client.get("/metrics", Map.of()).body())
                    .containsPattern("cellshop_router_errors_total\\{cell=\"broken\",kind=\"malformed\"} [1-9]");
        } finally {
            server.close();
        }
    }

    @Test
    void aBodyTheCellEndsByClosingReachesTheClientWhole() throws Exception {
        AtomicInteger shopRequests = new AtomicInteger();
        NetServer server = rawInstance("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the close", true, shopRequests);
        try (EchoCell closing = new EchoCell(router.vertx, router.curator, router.paths, "closing")) {
            closing.register(server.actualPort());
            ShopId shop = RunningRouter.newShopId();
            router.place(shop, "closing", PlacementState.ACTIVE, 1);
            await().until(() -> router.client.get("/api/v1/products", router.shopHeader(shop)).status() == 200);
            for (int i = 0; i < 3; i++) { // each on a new connection to the cell: a closed one is never reused
                Reply reply = router.client.get("/api/v1/products", router.shopHeader(shop));
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.body()).isEqualTo("until the close");
                assertThat(reply.header("Connection")).as("the client learns the end from the close too").isEqualTo("close");
                assertThat(reply.header("X-Cellshop-Cell")).isEqualTo("closing");
            }
        } finally {
            server.close();
        }
    }

    /**
     * A cell instance on a raw socket, for answers no HTTP server would give: its health probe
     * gets a proper 200, each shop request {@code answer}, after which it closes when {@code close}.
     */
    private static NetServer rawInstance(String answer, boolean close, AtomicInteger shopRequests) throws Exception {
        return router.vertx.createNetServer().connectHandler(socket -> {
            StringBuilder in = new StringBuilder();
            socket.handler(bytes -> {
                in.append(bytes.toString(StandardCharsets.ISO_8859_1));
                if (in.indexOf("\r\n\r\n") < 0) {
                    return;
                }
                boolean probe = in.toString().startsWith("GET /ready");
                in.setLength(0);
                if (probe) {
                    socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    return;
                }
                shopRequests.incrementAndGet();
                socket.write(answer);
                if (close) {
                    socket.close();
                }
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A new shop placed on north, once the router routes it: its X-Shop-Id header line. */
    private static String shopOnNorth() throws Exception {
        ShopId shop = RunningRouter.newShopId();
        router.place(shop, "north", PlacementState.ACTIVE, 1);
        await().until(() -> router.client.get("/api/v1/products", router.shopHeader(shop)).status() == 200);
        return "X-Shop-Id: " + shop + "\r\n";
    }

    /** Writes the requests on a new connection and reads until the router closes it. */
    private static String exchange(String requests) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", router.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonObject dechunk(String body) {
        StringBuilder data = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return new JsonObject(data.toString());
            }
            data.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrderWithTheRoutersOwnEndpointsAmongThem() throws Exception {
        String shopHeader = shopOnNorth();
        String pipelined = "GET /api/v1/first HTTP/1.1\r\nHost: r\r\n" + shopHeader + "\r\n"
                + "GET /health HTTP/1.1\r\nHost: r\r\n\r\n"
                + "POST /api/v1/second HTTP/1.1\r\nHost: r\r\n" + shopHeader + "Content-Length: 5\r\n\r\nhello"
                + "GET /api/v1/third HTTP/1.1\r\nHost: r\r\n" + shopHeader + "Connection: close\r\n\r\n";
        String answers = exchange(pipelined); // the router closes after the last
        assertThat(answers.split("HTTP/1.1 200 OK", -1)).as("four answers, all 200").hasSize(5);
        int first = answers.indexOf("\"uri\":\"/api/v1/first\"");
        int health = answers.indexOf("\"status\":\"UP\"");
        int second = answers.indexOf("\"uri\":\"/api/v1/second\"");
        int third = answers.indexOf("\"uri\":\"/api/v1/third\"");
        assertThat(first).isNotNegative().isLessThan(health);
        assertThat(health).isLessThan(second);
        assertThat(second).isLessThan(third);
        assertThat(answers).contains("\"bodyBytes\":5");
    }

    @Test
    void aPlacementChangeIsVisibleAtTheRouterWithin100msAtP99() throws Exception {
        ShopId shop = RunningRouter.newShopId();
        router.place(shop, "north", PlacementState.ACTIVE, 1);
        await().until(() -> router.client.get("/p", router.shopHeader(shop)).status() == 200);
        Map<Long, Long> appliedAt = new ConcurrentHashMap<>(); // epoch -> when the router's table took it
        router.verticle.routing().directory().onChange((changed, placement) -> {
            if (changed.equals(shop) && placement != null) {
                appliedAt.put(placement.epoch(), System.nanoTime());
            }
        });
        List<Long> micros = new ArrayList<>();
        for (int epoch = 2; epoch <= 201; epoch++) {
            String cell = epoch % 2 == 0 ? "south" : "north";
            long epochNow = epoch;
            router.place(shop, cell, PlacementState.ACTIVE, epoch);
            // From the write's acknowledgement: ZooKeeper's own commit (an fsync) is not the router's doing.
            long acknowledged = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> appliedAt.containsKey(epochNow));
            micros.add(Math.max(0, appliedAt.get(epochNow) - acknowledged) / 1000);
            assertThat(router.client.get("/p", router.shopHeader(shop)).header("X-Cellshop-Cell")).as("routed by it at once").isEqualTo(cell);
        }
        micros.sort(Long::compare);
        System.out.printf("placement change visible at the router: p50 %.1f ms, p99 %.1f ms, max %.1f ms over 200 changes%n",
                micros.get(99) / 1000.0, micros.get(197) / 1000.0, micros.get(199) / 1000.0);
        assertThat(micros.get(197)).as("p99 in microseconds").isLessThanOrEqualTo(100_000);
    }

    private static void assertSignedFor(JsonObject echo, ShopId shop, long epoch, String method, String uri) {
        JsonObject h = echo.getJsonObject("headers");
        SignedRequest signed = new SignedRequest(method, uri, h.getString("x-cellshop-body-digest"), h.getString("authorization"),
                h.getString("idempotency-key"));
        Verification v = new RequestSignature(secret.getBytes(StandardCharsets.UTF_8)).verify(
                h.getString("x-cellshop-shop-id"), h.getString("x-cellshop-epoch"), h.getString("x-cellshop-timestamp"),
                h.getString("x-cellshop-nonce"), h.getString("x-cellshop-signature"), signed, System.currentTimeMillis());
        assertThat(v).isEqualTo(new Verification.Verified(shop, epoch, h.getString("x-cellshop-nonce")));
        byte[] body = echo.getString("body").getBytes(StandardCharsets.UTF_8);
        assertThat(RequestSignature.checkBody(signed.bodyDigest(), java.nio.ByteBuffer.wrap(body))).as("the body is the signed one").isNull();
    }
}
