package dev.cellshop.cell.schema;

import dev.cellshop.kernel.problem.Problem;
import java.util.Map;

/**
 * A duplicate key that no caller expected (the idempotency key's is a replay, the variant SKU's
 * is named by the catalog) is still the request's conflict with what the shop has, never a 500:
 * 409 naming, in the API's words, what already exists. Never the database's message: it quotes
 * the key's values and the schema.
 */
public final class DuplicateKeys {

    /** What each unique key of the schema (db/cell in cell-schema) stands for; PRIMARY is every table's id. */
    private static final Map<String, String> MEANING = Map.of(
            "variants_sku", "a variant of this shop already has this SKU",
            "PRIMARY", "this shop already has a record with this id");

    private DuplicateKeys() {
    }

    /** The 409 for a duplicate-key failure (see {@link SqlErrors#isDuplicateKey}). */
    public static Problem conflict(Throwable duplicate) {
        return SqlErrors.duplicatedKey(duplicate)
                .map(key -> Problem.conflict(MEANING.getOrDefault(key, "this shop already has a record with the same " + key))
                        .withExtension("duplicateKey", key))
                .orElseGet(() -> Problem.conflict("this shop already has a record with the same key"));
    }
}
