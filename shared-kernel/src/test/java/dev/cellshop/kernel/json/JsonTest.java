package dev.cellshop.kernel.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    record Sample(String name, Integer count) {
    }

    @Test
    void json_never_writes_null_members() {
        assertThat(Json.write(new Sample("a", null))).isEqualTo("{\"name\":\"a\"}");
    }

    @Test
    void json_ignores_members_a_newer_writer_added() {
        assertThat(Json.read("{\"name\":\"a\",\"count\":2,\"addedLater\":true}", Sample.class))
                .isEqualTo(new Sample("a", 2));
    }

    @Test
    void json_reads_the_utf8_bytes_it_writes() {
        byte[] bytes = Json.writeBytes(new Sample("é", 1));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("é");
        assertThat(Json.read(bytes, Sample.class)).isEqualTo(new Sample("é", 1));
    }

    @Test
    void json_refuses_malformed_input_with_an_illegal_argument_naming_the_type() {
        assertThatThrownBy(() -> Json.read("{\"name\":", Sample.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid JSON for Sample");
    }

    @Test
    void json_refuses_empty_and_null_documents() {
        assertThatThrownBy(() -> Json.read("  ", Sample.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.read((byte[]) null, Sample.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.read("null", Sample.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void json_shares_one_mapper() {
        assertThat(Json.mapper()).isSameAs(Json.mapper());
    }
}
