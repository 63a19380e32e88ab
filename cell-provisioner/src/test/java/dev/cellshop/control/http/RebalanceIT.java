package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformCommandException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code rebalance} on the real platform: a small fourth cell gets six shops pinned to it
 * (75% used, against the few percent of cell-a and cell-b); a dry run plans five moves off it
 * and changes nothing; the real run, through the CLI, moves them while a second rebalance is
 * refused, and every shop is read through the router on the cell its placement names. A shop
 * that starts moving another way before its planned turn is not moved again: the run reports
 * it, the other moves complete, and the CLI exits 4.
 */
@ExtendWith(LocalPlatformExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebalanceIT {

    private static final String CELL = "cell-r";
    private static final int PINNED = 6;

    @BeforeAll
    void a_small_fourth_cell(LocalPlatform platform) {
        assertThat(platform.run("cell", "create", CELL, "--max-shops", "8", "--json")).contains("\"state\" : \"ACTIVE\"");
    }

    @AfterAll
    void without_it(LocalPlatform platform) {
        new ControlPlaneApi(platform.endpoints()).post("/v1/cells/" + CELL + "/drain", Map.of());
        platform.run("cell-down", CELL);
    }

    @Test
    @Order(1)
    void shops_pinned_to_one_cell_are_spread_by_a_rebalance_whose_dry_run_changes_nothing(LocalPlatform platform) throws Exception {
        ControlPlaneApi api = new ControlPlaneApi(platform.endpoints());
        Map<String, String> products = pin(api, PINNED);

        ControlPlaneApi.Reply dry = api.post("/v1/rebalance", Map.of("dryRun", true, "maxMoves", 50));

        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        JsonNode plan = dry.json();
        assertThat(plan.get("dryRun").asBoolean()).isTrue();
        // cell-r may stay one shop (12.5%) above a level of a few percent: five of its six shops go
        assertThat(movesFrom(plan, CELL)).hasSize(PINNED - 1).allSatisfy(m -> {
            assertThat(products).containsKey(m.get("shopId").asText());
            assertThat(m.get("to").asText()).isIn("cell-a", "cell-b");
            assertThat(m.has("moveId")).as("a dry run starts no move").isFalse();
        });
        JsonNode cellR = cell(plan, CELL);
        assertThat(cellR.get("shopsBefore").asInt()).isEqualTo(PINNED);
        assertThat(cellR.get("shopsAfter").asInt()).isEqualTo(1);
        assertThat(cellR.get("utilisationBefore").asDouble()).isEqualTo(0.75);
        assertThat(cellR.get("levelAfter").asBoolean()).isTrue();
        for (String shop : products.keySet()) {
            assertThat(api.get("/v1/shops/" + shop).json().get("cellId").asText()).as("a dry run moves nothing").isEqualTo(CELL);
        }
        assertThat(api.get("/v1/moves").body()).as("a dry run starts no move").doesNotContain(products.keySet().toArray(String[]::new));
        assertThat(actions(api, null)).doesNotContain("rebalance.start");

        assertThat(api.post("/v1/rebalance", Map.of("dryRun", "yes")).status()).isEqualTo(422);
        assertThat(api.post("/v1/rebalance", Map.of("maxMoves", 0)).status()).isEqualTo(422);
        assertThat(api.post("/v1/rebalance", Map.of("maxMoves", 2.5)).status()).isEqualTo(422);
        ControlPlaneApi.Reply misspelt = api.post("/v1/rebalance", Map.of("dry_run", true));
        assertThat(misspelt.status()).isEqualTo(422);
        assertThat(misspelt.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(misspelt.json().get("detail").asText()).contains("dry_run");
        assertThat(api.call("POST", "/v1/rebalance", "{not json", platform.endpoints().platformToken()).status()).isEqualTo(400);

        CompletableFuture<String> cli = CompletableFuture.supplyAsync(() -> platform.run("rebalance", "--max-moves", "50"));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ControlPlaneApi.Reply run = api.get("/v1/rebalance");
            return run.status() == 200 && run.json().get("running").asBoolean();
        });
        ControlPlaneApi.Reply second = api.post("/v1/rebalance", Map.of("dryRun", false));
        assertThat(second.status()).as(second.body()).isEqualTo(409);
        assertThat(second.json().get("detail").asText()).contains("is running");
        String output = cli.get(5, TimeUnit.MINUTES);

        JsonNode run = api.get("/v1/rebalance").json();
        int moves = run.get("moves").size();
        assertThat(run.get("running").asBoolean()).isFalse();
        assertThat(run.get("moves")).allSatisfy(m -> assertThat(m.get("phase").asText()).as(m.toString()).isEqualTo("COMPLETED"));
        assertThat(movesFrom(run, CELL)).hasSize(PINNED - 1);
        assertThat(output).contains("CELL", "UTILISATION", CELL, moves + " move(s) planned", "[" + moves + "/" + moves + "] shop")
                .doesNotContain("ABORTED", "NOT STARTED");
        int left = 0;
        for (Map.Entry<String, String> shop : products.entrySet()) {
            JsonNode placement = api.get("/v1/shops/" + shop.getKey()).json();
            String on = placement.get("cellId").asText();
            left += on.equals(CELL) ? 1 : 0;
            ControlPlaneApi.Reply read = api.router("GET", "/api/v1/products/" + shop.getValue(), null, Map.of("X-Shop-Id", shop.getKey()));
            assertThat(read.status()).as("shop " + shop.getKey() + ": " + read.body()).isEqualTo(200);
            assertThat(read.raw().headers().firstValue("X-Cellshop-Cell")).as("shop " + shop.getKey()).hasValue(on);
            assertThat(read.json().get("title").asText()).isEqualTo("Stock");
        }
        assertThat(left).isEqualTo(1);
        String subject = "rebalance/" + run.get("rebalanceId").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(actions(api, subject)).containsExactly("rebalance.start",
                "rebalance.end"));

        JsonNode again = api.post("/v1/rebalance", Map.of("dryRun", true)).json();
        assertThat(movesFrom(again, CELL)).as("cell-r is level now").isEmpty();
        assertThat(cell(again, CELL).get("levelAfter").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void a_planned_shop_that_starts_moving_elsewhere_before_its_turn_is_reported_not_started_and_the_cli_exits_4(LocalPlatform platform)
            throws Exception {
        ControlPlaneApi api = new ControlPlaneApi(platform.endpoints());
        pin(api, PINNED);

        CompletableFuture<String> cli = CompletableFuture.supplyAsync(() -> platform.run("rebalance"));
        JsonNode run = await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/v1/rebalance"),
                r -> r.status() == 200 && r.json().get("running").asBoolean() && r.json().get("moves").size() > 2).json();
        JsonNode last = run.get("moves").get(run.get("moves").size() - 1);
        String shop = last.get("shopId").asText();
        // started at once, while the run's first moves hold both mover threads: the shop is moving when its turn comes
        ControlPlaneApi.Reply manual = api.post("/v1/moves", Map.of("shopId", shop, "targetCell", "cell-b"));
        assertThat(manual.status()).as(manual.body()).isEqualTo(202);

        ExecutionException failed = catchThrowableOfType(ExecutionException.class, () -> cli.get(5, TimeUnit.MINUTES));
        assertThat(failed).as("the CLI fails when a move did not complete").isNotNull();
        int moves = run.get("moves").size();
        assertThat(failed.getCause()).isInstanceOf(PlatformCommandException.class).hasMessageContaining("(exit 4)")
                .hasMessageContaining("[" + moves + "/" + moves + "] shop " + shop + " -> " + last.get("to").asText() + ": NOT STARTED: shop " + shop);
        JsonNode ended = api.get("/v1/rebalance").json();
        assertThat(ended.get("running").asBoolean()).isFalse();
        JsonNode skipped = ended.get("moves").get(moves - 1);
        assertThat(skipped.has("moveId")).isFalse();
        assertThat(skipped.get("detail").asText()).containsAnyOf("is already moving", "is FROZEN", "is on cell-b now");
        for (int i = 0; i < moves - 1; i++) {
            assertThat(ended.get("moves").get(i).get("phase").asText()).as(ended.get("moves").get(i).toString()).isEqualTo("COMPLETED");
        }
        String manualMove = manual.json().get("moveId").asText();
        await().atMost(Duration.ofSeconds(90)).until(() -> api.get("/v1/moves/" + manualMove).json().get("phase").asText(),
                "COMPLETED"::equals);
        assertThat(api.get("/v1/shops/" + shop).json().get("cellId").asText()).isEqualTo("cell-b");
    }

    /** {@code count} new shops with a product each, placed on cell-r; shop id to product id. */
    private static Map<String, String> pin(ControlPlaneApi api, int count) {
        Map<String, String> products = new HashMap<>();
        for (int i = 0; i < count; i++) {
            MoveUnderLoadIT.Shopper shop = MoveUnderLoadIT.shopWithStock(api, CELL);
            products.put(shop.shop, shop.product);
        }
        return products;
    }

    private static List<JsonNode> movesFrom(JsonNode rebalance, String cell) {
        return StreamSupport.stream(rebalance.get("moves").spliterator(), false).filter(m -> m.get("from").asText().equals(cell)).toList();
    }

    private static JsonNode cell(JsonNode rebalance, String cell) {
        return StreamSupport.stream(rebalance.get("cells").spliterator(), false).filter(c -> c.get("cellId").asText().equals(cell))
                .findFirst().orElseThrow();
    }

    /** The actions of the newest audit entries, of one subject or (null) of all. */
    private static List<String> actions(ControlPlaneApi api, String subject) {
        List<String> actions = new ArrayList<>();
        api.get("/v1/audit?limit=1000").json().forEach(e -> {
            if (subject == null || e.get("subject").asText().equals(subject)) {
                actions.add(e.get("action").asText());
            }
        });
        return actions;
    }
}
