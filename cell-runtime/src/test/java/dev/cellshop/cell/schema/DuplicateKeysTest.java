package dev.cellshop.cell.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.kernel.problem.Problem;
import io.vertx.mysqlclient.MySQLBatchException;
import io.vertx.mysqlclient.MySQLException;
import org.junit.jupiter.api.Test;

class DuplicateKeysTest {

    private static MySQLException duplicate(String message) {
        return new MySQLException(message, 1062, "23000");
    }

    @Test
    void a_duplicate_sku_is_a_409_in_the_apis_words_without_the_databases_message() {
        Problem problem = DuplicateKeys.conflict(duplicate("Duplicate entry '42-MUG-RED' for key 'variants_sku'"));

        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.detail()).isEqualTo("a variant of this shop already has this SKU").doesNotContain("42-MUG-RED");
        assertThat(problem.extensions()).containsEntry("duplicateKey", "variants_sku");
    }

    @Test
    void a_duplicate_primary_key_as_mysql_8_names_it_is_a_409_about_the_id() {
        Problem problem = DuplicateKeys.conflict(duplicate("Duplicate entry '42-7' for key 'orders.PRIMARY'"));

        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.detail()).isEqualTo("this shop already has a record with this id");
        assertThat(problem.extensions()).containsEntry("duplicateKey", "PRIMARY");
    }

    @Test
    void a_key_the_schema_adds_later_is_named_and_a_message_without_a_key_still_gives_a_409() {
        assertThat(DuplicateKeys.conflict(duplicate("Duplicate entry 'x' for key 'products_handle'")).detail())
                .isEqualTo("this shop already has a record with the same products_handle");
        assertThat(DuplicateKeys.conflict(duplicate("Duplicate entry")).status()).isEqualTo(409);
    }

    @Test
    void a_duplicate_in_a_batch_insert_is_read_from_the_row_that_failed() {
        MySQLBatchException batch = new MySQLBatchException();
        batch.reportError(1, duplicate("Duplicate entry '42-MUG-RED' for key 'variants_sku'"));

        assertThat(SqlErrors.isDuplicateKey(batch)).isTrue();
        assertThat(DuplicateKeys.conflict(batch).detail()).isEqualTo("a variant of this shop already has this SKU");
    }

    @Test
    void only_error_1062_is_a_duplicate_key() {
        assertThat(SqlErrors.duplicatedKey(new MySQLException("Lock wait timeout exceeded for key 'PRIMARY'", 1205, "HY000"))).isEmpty();
        assertThat(SqlErrors.isDuplicateKey(new IllegalStateException("Duplicate entry"))).isFalse();
    }
}
