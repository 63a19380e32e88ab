package dev.cellshop.control.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cells the control plane knows on the test platform. (Registering a new cell for real
 * is tested on a topology root of its own, in ShopCreatorIT, so no made-up cell ever joins
 * this platform's placement pool.)
 */
@ExtendWith(LocalPlatformExtension.class)
class CellRegistrationIT {

    @Test
    void both_local_cells_are_active_with_the_endpoints_of_platform_json(PlatformEndpoints platform) {
        ControlPlaneApi api = new ControlPlaneApi(platform);

        for (String cell : new String[] {"cell-a", "cell-b"}) {
            ControlPlaneApi.Reply reply = api.get("/v1/cells/" + cell);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("state").asText()).isEqualTo("ACTIVE");
            assertThat(reply.json().path("endpoints").get("mysql").asText()).endsWith(":" + platform.cell(cell).mysql().port() + "/cellshop");
            assertThat(reply.json().path("endpoints").get("redis").asText()).isEqualTo(platform.cell(cell).redis());
        }
        assertThat(api.get("/v1/topology").json().path("cells").findValuesAsText("cellId")).contains("cell-a", "cell-b");
    }

    @Test
    void registering_a_known_cell_again_is_a_conflict_and_bad_endpoints_are_named(PlatformEndpoints platform) {
        ControlPlaneApi api = new ControlPlaneApi(platform);
        PlatformEndpoints.Cell a = platform.cell("cell-a");

        ControlPlaneApi.Reply again = api.post("/v1/cells", Map.of("cellId", "cell-a", "mysql", "127.0.0.1:" + a.mysql().port(),
                "redis", a.redis(), "memcached", a.memcached()));
        ControlPlaneApi.Reply badRedis = api.post("/v1/cells", Map.of("cellId", "cell-q", "mysql", "127.0.0.1:3306",
                "redis", "localhost:6379", "memcached", "127.0.0.1:11211"));
        ControlPlaneApi.Reply unknown = api.get("/v1/cells/cell-z");

        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("cell cell-a is already registered");
        assertThat(badRedis.status()).as(badRedis.body()).isEqualTo(422);
        assertThat(badRedis.json().get("detail").asText()).contains("redis", "localhost:6379");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(api.get("/v1/cells/cell-q").status()).as("nothing registered by a refused request").isEqualTo(404);
    }

    @Test
    void a_mysql_endpoint_carrying_driver_parameters_is_refused_with_422_and_nothing_is_registered(PlatformEndpoints platform) {
        ControlPlaneApi api = new ControlPlaneApi(platform);
        PlatformEndpoints.Cell a = platform.cell("cell-a");

        for (String mysql : new String[] {"jdbc:mysql://h:1/db?allowLoadLocalInfile=true", "jdbc:mysql://h:1/db?autoDeserialize=true"}) {
            ControlPlaneApi.Reply refused = api.post("/v1/cells", Map.of("cellId", "cell-evil", "mysql", mysql, "redis", a.redis(),
                    "memcached", a.memcached()));

            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.json().get("detail").asText()).contains(mysql, "mysql://host:port/database or host:port");
            assertThat(api.get("/v1/cells/cell-evil").status()).as("nothing registered for " + mysql).isEqualTo(404);
        }
    }
}
