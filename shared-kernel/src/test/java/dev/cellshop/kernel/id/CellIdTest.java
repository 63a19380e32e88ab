package dev.cellshop.kernel.id;

import dev.cellshop.kernel.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CellIdTest {

    @Test
    void cell_id_accepts_lower_case_names_safe_for_paths_files_and_labels() {
        assertThat(CellId.of("cell-a").value()).isEqualTo("cell-a");
        assertThat(CellId.of("c")).hasToString("c");
        assertThat(CellId.of("eu-west-1-cell-07")).hasToString("eu-west-1-cell-07");
        assertThat(CellId.of("a" + "b".repeat(31)).value()).hasSize(32);
    }

    @Test
    void cell_id_refuses_names_that_are_unsafe_in_a_path_file_or_label() {
        for (String bad : new String[] {"", "Cell-a", "1cell", "-cell", "cell-", "cell_a", "cell/a", "cell a", "a" + "b".repeat(32), "céll"}) {
            assertThatThrownBy(() -> CellId.of(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> CellId.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cell_id_is_a_plain_json_string() {
        assertThat(Json.write(CellId.of("cell-a"))).isEqualTo("\"cell-a\"");
        assertThat(Json.read("\"cell-b\"", CellId.class)).isEqualTo(CellId.of("cell-b"));
        assertThatThrownBy(() -> Json.read("\"Cell-B\"", CellId.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Cell-B'");
    }
}
