package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShopTablesTest {

    @Test
    void a_referenced_table_is_copied_before_the_tables_referencing_it_then_by_name() {
        Map<String, ShopTable> tables = tables("order_lines", "orders", "products", "variants", "audit");
        Map<String, Set<String>> references = Map.of("order_lines", Set.of("orders", "variants"), "variants", Set.of("products"),
                "audit", Set.of("elsewhere"));

        assertThat(ShopTables.dependencyOrder(tables, references)).extracting(ShopTable::name)
                .containsExactly("audit", "orders", "products", "variants", "order_lines");
    }

    @Test
    void tables_referencing_each_other_in_a_cycle_refuse_the_move() {
        assertThatThrownBy(() -> ShopTables.dependencyOrder(tables("a", "b"), Map.of("a", Set.of("b"), "b", Set.of("a"))))
                .isInstanceOf(MoveAbort.class).hasMessageContaining("cycle");
    }

    private static Map<String, ShopTable> tables(String... names) {
        Map<String, ShopTable> tables = new LinkedHashMap<>();
        for (String name : names) {
            tables.put(name, new ShopTable(name, List.of(new ShopTable.Column("shop_id", "bigint"), new ShopTable.Column("id", "bigint")),
                    List.of("shop_id", "id")));
        }
        return tables;
    }
}
