package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DdlDetectorTest {

    private final DdlDetector detector = new DdlDetector("cellshop", Set.of("products", "order_lines"));

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE products ADD COLUMN note VARCHAR(10)",
            "alter online table `products` drop column title",
            "/* gh-ost */ ALTER TABLE `cellshop`.`products` ENGINE=InnoDB",
            "DROP TABLE IF EXISTS scratch_x, products",
            "RENAME TABLE products TO products_old",
            "TRUNCATE products",
            "truncate table cellshop.products",
            "CREATE INDEX by_title ON products (title)",
            "DROP INDEX by_title ON `products`"})
    void a_statement_changing_a_moving_table_is_reported(String sql) {
        assertThat(detector.changedTable("cellshop", sql)).contains("products");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cellshop|CREATE TABLE unrelated (id INT)",
            "cellshop|ALTER TABLE variants ADD COLUMN x INT",
            "cellshop|ALTER TABLE other.products ADD COLUMN x INT",
            "scratch|ALTER TABLE products ADD COLUMN x INT",
            "cellshop|INSERT INTO products VALUES (1)",
            "cellshop|GRANT SELECT ON products TO someone"})
    void other_statements_are_not(String session, String sql) {
        assertThat(detector.changedTable(session, sql)).isEmpty();
    }
}
