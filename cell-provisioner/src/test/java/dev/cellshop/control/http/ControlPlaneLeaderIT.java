package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.control.SecondControlPlane;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two control planes on one ZooKeeper root: the test platform's and a second one in this JVM
 * ({@link SecondControlPlane}). One leads and runs the moves; the other serves reads and
 * forwards the leader's work; stopped mid-move, the leader hands the move over.
 */
@ExtendWith(LocalPlatformExtension.class)
class ControlPlaneLeaderIT {

    private static final Pattern LEADER_GAUGE = Pattern.compile("(?m)^cellshop_control_leader (\\S+)$");
    private static final long CATALOGUE = 200_000;

    private SecondControlPlane second;
    private ControlPlaneApi leader;
    private ControlPlaneApi follower;

    @BeforeEach
    void second_control_plane(PlatformEndpoints platform, LocalPlatform local) {
        second = SecondControlPlane.start(platform, local.stateDir());
        leader = new ControlPlaneApi(platform);
        follower = leader.at(second.address());
    }

    /** The platform's control plane runs again and leads, for the next tests, also when a test failed half way. */
    @AfterEach
    void restore(PlatformEndpoints platform) {
        LocalPlatform.shared().start("control-plane");
        second.close();
        ControlPlaneApi api = new ControlPlaneApi(platform);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/v1/leader").json().get("isLeader").asBoolean());
    }

    @Test
    void of_two_control_planes_one_leads_and_a_move_posted_to_the_other_is_run_by_the_leader(PlatformEndpoints platform) {
        String leaderUrl = "http://" + platform.controlPlane();
        JsonNode onLeader = leader.get("/v1/leader").json();
        JsonNode onFollower = follower.get("/v1/leader").json();
        assertThat(onLeader.get("isLeader").asBoolean()).as(onLeader.toString()).isTrue();
        assertThat(onFollower.get("isLeader").asBoolean()).as(onFollower.toString()).isFalse();
        assertThat(onLeader.get("leader").asText()).isEqualTo(leaderUrl).isEqualTo(onFollower.get("leader").asText());
        assertThat(onFollower.get("self").asText()).isEqualTo(second.url());
        assertThat(leaderGauge(leader)).isEqualTo(1);
        assertThat(leaderGauge(follower)).isEqualTo(0);
        assertThat(follower.get("/ready").body()).contains("following " + leaderUrl);

        String shop = leader.shopOn("cell-a", "Forwarded move shop").json().get("shopId").asText();
        ControlPlaneApi.Reply started = follower.post("/v1/moves", Map.of("shopId", shop, "targetCell", "cell-b"));

        assertThat(started.status()).as(started.body()).isEqualTo(202);
        assertThat(started.raw().headers().firstValue(LeaderForwarding.LEADER)).contains(leaderUrl);
        assertThat(started.json().get("owner").asText()).startsWith(leaderUrl + "#");
        String move = started.json().get("moveId").asText();
        JsonNode ended = await().atMost(Duration.ofSeconds(45)).until(() -> follower.get("/v1/moves/" + move).json(),
                m -> m.get("phase").asText().equals("COMPLETED") || m.get("phase").asText().equals("ABORTED"));
        assertThat(ended.get("phase").asText()).as(ended.toString()).isEqualTo("COMPLETED");
        assertThat(owners(ended)).as("only the leader ran it").hasSize(1).allMatch(o -> o.startsWith(leaderUrl + "#"));
        assertThat(follower.get("/v1/shops/" + shop).json().get("cellId").asText()).isEqualTo("cell-b");
    }

    @Test
    void a_follower_answers_a_request_forwarded_to_it_with_503_and_retry_after_instead_of_forwarding_it_again() {
        ControlPlaneApi.Reply bounced = follower.callWith("POST", "/v1/moves/move-1-1/abort", "{}",
                Map.of(LeaderForwarding.FORWARDED_BY, "http://127.0.0.1:1", "Content-Type", "application/json"));

        assertThat(bounced.status()).as(bounced.body()).isEqualTo(503);
        assertThat(bounced.raw().headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(bounced.raw().headers().firstValue("Retry-After")).contains("2");
        assertThat(bounced.json().get("detail").asText()).contains("does not lead").contains("GET /v1/leader");
    }

    @Test
    void the_leader_stopped_in_the_middle_of_a_copy_hands_its_move_to_the_other_control_plane_which_completes_it(
            PlatformEndpoints platform, LocalPlatform local) throws Exception {
        String leaderUrl = "http://" + platform.controlPlane();
        String shop = leader.shopOn("cell-a", "Failover shop").json().get("shopId").asText();
        CellRows.seedCatalogue(platform, "cell-a", shop, CATALOGUE);
        ControlPlaneApi.Reply started = leader.post("/v1/moves", Map.of("shopId", shop, "targetCell", "cell-b"));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String move = started.json().get("moveId").asText();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> follower.get("/v1/moves/" + move).json(),
                m -> m.get("phase").asText().equals("COPYING") && m.path("tables").path("products").path("copied").asLong() > 0);

        long stopping = System.nanoTime();
        local.stop("control-plane"); // SIGTERM: its runner parks, then it leaves the election
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> follower.get("/v1/leader").json().get("isLeader").asBoolean());
        long takeoverMillis = (System.nanoTime() - stopping) / 1_000_000;
        assertThat(follower.get("/v1/moves/" + move).json().get("phase").asText()).as("parked before its cutover")
                .isIn("COPYING", "CATCHING_UP", "CAUGHT_UP");

        JsonNode ended = await().atMost(Duration.ofSeconds(45)).until(() -> follower.get("/v1/moves/" + move).json(),
                m -> m.get("phase").asText().equals("COMPLETED") || m.get("phase").asText().equals("ABORTED"));

        assertThat(ended.get("phase").asText()).as(ended.toString()).isEqualTo("COMPLETED");
        List<String> owners = owners(ended);
        assertThat(owners).as("the stopped leader, then the new one, each once: never back and forth (takeover in "
                + takeoverMillis + " ms)").hasSize(2);
        assertThat(owners.get(0)).startsWith(leaderUrl + "#");
        assertThat(owners.get(1)).startsWith(second.url() + "#");
        assertThat(CellRows.products(platform, "cell-b", shop)).isEqualTo(CATALOGUE);
        assertThat(CellRows.products(platform, "cell-a", shop)).isZero();
        assertThat(follower.get("/v1/shops/" + shop).json().get("cellId").asText()).isEqualTo("cell-b");
    }

    private static List<String> owners(JsonNode move) {
        List<String> owners = new ArrayList<>();
        move.path("owners").forEach(o -> owners.add(o.asText()));
        return owners;
    }

    private static int leaderGauge(ControlPlaneApi api) {
        Matcher gauge = LEADER_GAUGE.matcher(api.call("GET", "/metrics", null, (String) null).body());
        assertThat(gauge.find()).as("cellshop_control_leader on /metrics").isTrue();
        return (int) Double.parseDouble(gauge.group(1));
    }
}
