package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.kernel.json.Json;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCursorTest {

    private static final ShopTable COUNTERS = new ShopTable("counters", List.of(new ShopTable.Column("shop_id", "bigint"),
            new ShopTable.Column("id", "bigint", true)), List.of("shop_id", "id"));

    @Test
    void an_unsigned_bigint_key_past_the_signed_range_survives_the_checkpoint_as_the_same_number() {
        KeyCursor cursor = new KeyCursor(List.of(new BigInteger("18446744073709551615")));

        JsonNode saved = Json.read(Json.write(cursor.toJson()), JsonNode.class);

        assertThat(KeyCursor.fromJson(COUNTERS, saved)).isEqualTo(cursor);
        assertThat(KeyCursor.fromJson(COUNTERS, Json.read("[42]", JsonNode.class)).values()).containsExactly(42L);
    }

    @Test
    void a_binlog_value_of_an_unsigned_column_is_widened_back_from_its_signed_form() {
        assertThat(new ShopTable.Column("n", "int", true).fromBinlog(-2)).isEqualTo(4294967294L);
        assertThat(new ShopTable.Column("t", "tinyint", true).fromBinlog(-1)).isEqualTo(255L);
        assertThat(new ShopTable.Column("b", "bigint", true).fromBinlog(-1L)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(new ShopTable.Column("s", "int", false).fromBinlog(-2)).isEqualTo(-2);
        assertThat(new ShopTable.Column("u", "int", true).fromBinlog(7)).isEqualTo(7);
    }
}
