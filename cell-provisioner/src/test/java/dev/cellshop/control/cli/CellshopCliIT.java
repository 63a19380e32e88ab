package dev.cellshop.control.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.testkit.LocalPlatform;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformCommandException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ops/cellshop shop|cell|topology|audit} as a person or a script runs them, against the test platform. */
@ExtendWith(LocalPlatformExtension.class)
class CellshopCliIT {

    @Test
    void shop_create_json_gives_the_shop_and_shop_show_json_gives_its_placement_and_domain(LocalPlatform platform) {
        String domain = "cli-" + UUID.randomUUID().toString().substring(0, 8) + ".cellshop.test";

        JsonNode created = Json.read(platform.run("shop", "create", "--name", "CLI shop", "--domain", domain, "--cell", "cell-b",
                "--json"), JsonNode.class);

        assertThat(created.get("cellId").asText()).isEqualTo("cell-b");
        assertThat(created.get("adminToken").asText()).startsWith("adm_");
        JsonNode shown = Json.read(platform.run("shop", "show", created.get("shopId").asText(), "--json"), JsonNode.class);
        assertThat(shown.get("shopId").asText()).isEqualTo(created.get("shopId").asText());
        assertThat(shown.get("cellId").asText()).isEqualTo("cell-b");
        assertThat(shown.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(shown.get("epoch").asLong()).isEqualTo(1);
        assertThat(shown.get("domain").asText()).isEqualTo(domain);
    }

    @Test
    void shop_move_follows_the_move_to_its_end_and_move_show_json_gives_its_record(LocalPlatform platform) {
        String domain = "cli-move-" + UUID.randomUUID().toString().substring(0, 8) + ".cellshop.test";
        String shop = Json.read(platform.run("shop", "create", "--name", "Moving", "--domain", domain, "--cell", "cell-a", "--json"),
                JsonNode.class).get("shopId").asText();

        String progress = platform.run("shop", "move", shop, "--to", "cell-b");

        assertThat(progress).contains("COMPLETED", "rows", "pause");
        JsonNode moves = Json.read(platform.run("move", "list", "--json"), JsonNode.class);
        String move = moves.findValues("moveId").stream().map(JsonNode::asText).filter(id -> id.contains(shop)).findFirst().orElseThrow();
        JsonNode shown = Json.read(platform.run("move", "show", move, "--json"), JsonNode.class);
        assertThat(shown.get("phase").asText()).isEqualTo("COMPLETED");
        assertThat(shown.get("targetCell").asText()).isEqualTo("cell-b");
        assertThat(Json.read(platform.run("shop", "show", shop, "--json"), JsonNode.class).get("cellId").asText()).isEqualTo("cell-b");
        assertThatThrownBy(() -> platform.run("shop", "move", shop, "--to", "cell-b"))
                .isInstanceOfSatisfying(PlatformCommandException.class, e -> assertThat(e.getMessage()).contains("(exit 2)", "already on cell-b"));
        assertThatThrownBy(() -> platform.run("move", "abort", move))
                .isInstanceOfSatisfying(PlatformCommandException.class, e -> assertThat(e.getMessage()).contains("(exit 4)", "COMPLETED"));
    }

    @Test
    void cell_list_json_names_both_local_cells_active_with_their_shop_counts(LocalPlatform platform) {
        JsonNode cells = Json.read(platform.run("cell", "list", "--json"), JsonNode.class);

        assertThat(cells.findValuesAsText("cellId")).contains("cell-a", "cell-b");
        cells.forEach(c -> {
            if (List.of("cell-a", "cell-b").contains(c.get("cellId").asText())) {
                assertThat(c.get("state").asText()).isEqualTo("ACTIVE");
            }
            assertThat(c.get("shops").isInt()).isTrue();
        });
        assertThat(platform.run("topology")).contains("CELL", "cell-a", "cell-b", "shops on");
        assertThat(platform.run("audit", "--limit", "1000")).contains("cell.register");
    }

    @Test
    void an_expected_failure_is_one_line_with_a_nonzero_exit_and_no_stack_trace(LocalPlatform platform) {
        String domain = "cli-dup-" + UUID.randomUUID().toString().substring(0, 8) + ".cellshop.test";
        platform.run("shop", "create", "--name", "First", "--domain", domain);

        assertThatThrownBy(() -> platform.run("shop", "create", "--name", "Second", "--domain", domain))
                .isInstanceOfSatisfying(PlatformCommandException.class, e -> {
                    assertThat(e.getMessage()).contains("(exit 4)", "cellshop: domain " + domain + " is already taken");
                    assertThat(e.getMessage()).doesNotContain("Exception", "\tat ");
                });
        assertThatThrownBy(() -> platform.run("shop", "show", "999"))
                .hasMessageContaining("(exit 3)").hasMessageContaining("unknown shop 999");
        assertThatThrownBy(() -> platform.run("shop", "create", "--name", "Nowhere", "--domain", "x-" + domain, "--cell", "cell-z"))
                .hasMessageContaining("(exit 3)").hasMessageContaining("unknown cell cell-z");
    }
}
