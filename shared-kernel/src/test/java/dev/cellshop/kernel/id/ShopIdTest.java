package dev.cellshop.kernel.id;

import dev.cellshop.kernel.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShopIdTest {

    @Test
    void shop_id_must_be_positive() {
        assertThatThrownBy(() -> ShopId.of(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> ShopId.of(-7)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-7");
    }

    @Test
    void shop_id_parses_its_own_decimal_form() {
        assertThat(ShopId.parse("9007199254740993")).isEqualTo(ShopId.of(9007199254740993L));
        assertThat(ShopId.parse(ShopId.of(Long.MAX_VALUE).toString())).isEqualTo(ShopId.of(Long.MAX_VALUE));
    }

    @Test
    void shop_id_parse_names_the_bad_value() {
        for (String bad : new String[] {"abc", "", "0", "-1", "+1", "007", "1.5", " 1", "99999999999999999999"}) {
            assertThatThrownBy(() -> ShopId.parse(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> ShopId.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shop_id_is_written_as_a_string_so_javascript_keeps_every_digit() {
        assertThat(Json.write(ShopId.of(9007199254740993L))).isEqualTo("\"9007199254740993\"");
    }

    @Test
    void shop_id_is_read_from_a_string_or_a_number() {
        assertThat(Json.read("\"9007199254740993\"", ShopId.class)).isEqualTo(ShopId.of(9007199254740993L));
        assertThat(Json.read("42", ShopId.class)).isEqualTo(ShopId.of(42));
        assertThat(Json.read("9007199254740993", ShopId.class)).isEqualTo(ShopId.of(9007199254740993L));
    }

    @Test
    void shop_id_json_refuses_fractions_and_non_positive_numbers() {
        assertThatThrownBy(() -> Json.read("1.5", ShopId.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.read("0", ShopId.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> Json.read("\"x1\"", ShopId.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x1'");
    }

    @Test
    void shop_ids_order_numerically() {
        assertThat(ShopId.of(9)).isLessThan(ShopId.of(10));
    }
}
