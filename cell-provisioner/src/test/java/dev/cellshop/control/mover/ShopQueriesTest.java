package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShopQueriesTest {

    private static final ShopTable ORDER_LINES = new ShopTable("order_lines", List.of(
            new ShopTable.Column("shop_id", "bigint"), new ShopTable.Column("order_id", "bigint"),
            new ShopTable.Column("line_no", "int"), new ShopTable.Column("sku", "varchar")),
            List.of("shop_id", "order_id", "line_no"));
    private static final ShopTable SHOPS = new ShopTable("shops", List.of(
            new ShopTable.Column("shop_id", "bigint"), new ShopTable.Column("name", "varchar")), List.of("shop_id"));

    @Test
    void the_first_batch_starts_before_every_key_so_ids_at_or_below_zero_are_copied() {
        ShopQueries.Bound first = new ShopQueries(ORDER_LINES).nextBatch(7, KeyCursor.START, 500);

        assertThat(first.sql()).isEqualTo("SELECT `order_id`, `line_no`, `shop_id`, `order_id`, `line_no`, `sku`"
                + " FROM `order_lines` WHERE `shop_id` = ? ORDER BY `shop_id`, `order_id`, `line_no` LIMIT 500 FOR UPDATE");
        assertThat(first.parameters()).containsExactly(7L);
    }

    @Test
    void a_composite_key_cursor_continues_after_the_last_row_in_key_order() {
        ShopQueries.Bound next = new ShopQueries(ORDER_LINES).nextBatch(7, new KeyCursor(List.of(-3L, 2)), 500);

        assertThat(next.sql()).contains("WHERE `shop_id` = ? AND (`order_id` > ? OR (`order_id` = ? AND `line_no` > ?))");
        assertThat(next.parameters()).containsExactly(7L, -3L, -3L, 2);
    }

    @Test
    void a_checksum_chunk_is_after_its_start_and_up_to_its_end_inclusive() {
        ShopQueries.Bound sum = new ShopQueries(ORDER_LINES).checksum(7, new KeyCursor(List.of(1L, 1)), new KeyCursor(List.of(9L, 4)));

        assertThat(sum.sql()).contains("CONCAT_WS('#', `shop_id`, ISNULL(`shop_id`), `order_id`, ISNULL(`order_id`)")
                .endsWith("WHERE `shop_id` = ? AND (`order_id` > ? OR (`order_id` = ? AND `line_no` > ?))"
                        + " AND (`order_id` < ? OR (`order_id` = ? AND `line_no` <= ?))");
        assertThat(sum.parameters()).containsExactly(7L, 1L, 1L, 1, 9L, 9L, 4);
    }

    @Test
    void a_checksum_of_changed_rows_names_each_full_primary_key() {
        String sum = new ShopQueries(ORDER_LINES).checksumOfKeys(2);

        assertThat(sum).startsWith("SELECT COUNT(*), COALESCE(BIT_XOR(")
                .endsWith("WHERE (`shop_id` = ? AND `order_id` = ? AND `line_no` = ?) OR (`shop_id` = ? AND `order_id` = ? AND `line_no` = ?)");
    }

    @Test
    void a_table_keyed_by_shop_alone_has_one_row_and_nothing_after_it() {
        ShopQueries queries = new ShopQueries(SHOPS);

        assertThat(queries.nextBatch(7, new KeyCursor(List.of()), 10).sql()).contains("WHERE `shop_id` = ? AND FALSE");
        assertThat(queries.upsert()).isEqualTo("INSERT INTO `shops` (`shop_id`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)");
    }

    @Test
    void writes_use_the_full_primary_key() {
        ShopQueries queries = new ShopQueries(ORDER_LINES);

        assertThat(queries.insertIgnore())
                .isEqualTo("INSERT IGNORE INTO `order_lines` (`shop_id`, `order_id`, `line_no`, `sku`) VALUES (?, ?, ?, ?)");
        assertThat(queries.upsert()).endsWith("ON DUPLICATE KEY UPDATE `sku` = VALUES(`sku`)");
        assertThat(queries.replace()).isEqualTo("REPLACE INTO `order_lines` (`shop_id`, `order_id`, `line_no`, `sku`) VALUES (?, ?, ?, ?)");
        assertThat(queries.deleteByKey()).isEqualTo("DELETE FROM `order_lines` WHERE `shop_id` = ? AND `order_id` = ? AND `line_no` = ?");
    }

    @Test
    void a_table_whose_key_does_not_lead_with_shop_id_is_refused() {
        assertThatThrownBy(() -> new ShopTable("outbox", List.of(new ShopTable.Column("id", "bigint"),
                new ShopTable.Column("shop_id", "bigint")), List.of("id", "shop_id")))
                .hasMessageContaining("outbox").hasMessageContaining("does not lead with shop_id");
    }

    @Test
    void a_cursor_survives_its_checkpoint_json_with_binary_and_negative_keys() {
        ShopTable tokens = new ShopTable("shop_admin_tokens", List.of(new ShopTable.Column("shop_id", "bigint"),
                new ShopTable.Column("token_sha256", "binary"), new ShopTable.Column("n", "bigint")), List.of("shop_id", "token_sha256", "n"));
        KeyCursor cursor = new KeyCursor(List.of(new byte[] {0, -1, 7}, -5L));

        KeyCursor back = KeyCursor.fromJson(tokens, cursor.toJson());

        assertThat((byte[]) back.values().get(0)).containsExactly(0, -1, 7);
        assertThat(back.values().get(1)).isEqualTo(-5L);
        assertThat(KeyCursor.fromJson(tokens, KeyCursor.START.toJson()).atStart()).isTrue();
    }
}
