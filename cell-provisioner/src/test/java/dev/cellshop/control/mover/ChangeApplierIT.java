package dev.cellshop.control.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The applier on a real target shard, fed binlog images as the streamer decodes them. */
@ExtendWith(LocalPlatformExtension.class)
class ChangeApplierIT {

    @Test
    void an_old_change_replayed_onto_a_newer_copied_row_that_holds_its_unique_sku_converges_and_replays_idempotently(
            PlatformEndpoints platform) throws Exception {
        CellMysql target = ShopRows.clone(platform, "cell-b");
        long shop = ShopRows.newShopId();
        try {
            ShopTable variants = variantsTable(target);
            try (Connection c = target.connect()) {
                // what the copy wrote, read on the source after all three changes below: A has sku Y, B has sku X
                ShopRows.exec(c, "INSERT INTO variants (shop_id, id, product_id, sku, price_amount, currency, inventory) VALUES"
                        + " (?, 1, 1, 'Y', 100, 'EUR', 5), (?, 2, 1, 'X', 100, 'EUR', 7)", shop, shop);
            }
            // the source's history since the tail's start: A inserted with X, A renamed to Y, B inserted with X
            List<ShopTransaction> history = List.of(
                    tx(1, new RowChange(variants, null, variant(shop, 1, "X", 5))),
                    tx(2, new RowChange(variants, variant(shop, 1, "X", 5), variant(shop, 1, "Y", 5))),
                    tx(3, new RowChange(variants, null, variant(shop, 2, "X", 7))));

            try (ChangeApplier applier = new ChangeApplier(target, GtidPosition.EMPTY)) {
                for (ShopTransaction tx : history) {
                    applier.apply(tx);
                }
                assertThat(skus(target, shop)).isEqualTo(Map.of(1L, "Y", 2L, "X"));
                assertThat(applier.applied()).isEqualTo(GtidPosition.parse("0-999-3"));

                for (ShopTransaction tx : history) {
                    applier.apply(tx);
                }
                assertThat(skus(target, shop)).as("after replaying the same transactions again").isEqualTo(Map.of(1L, "Y", 2L, "X"));
            }
        } finally {
            ShopRows.deleteShops(List.of(target), shop);
        }
    }

    @Test
    void a_group_is_applied_in_order_as_one_commit_up_to_a_ddl_transaction_which_aborts(PlatformEndpoints platform) throws Exception {
        CellMysql target = ShopRows.clone(platform, "cell-b");
        long shop = ShopRows.newShopId();
        try {
            ShopTable variants = variantsTable(target);
            List<ShopTransaction> group = List.of(
                    tx(1, new RowChange(variants, null, variant(shop, 1, "A", 5))),
                    tx(2, new RowChange(variants, variant(shop, 1, "A", 5), variant(shop, 1, "B", 4))),
                    tx(3, new RowChange(variants, null, variant(shop, 2, "C", 7))),
                    tx(4, new RowChange(variants, variant(shop, 2, "C", 7), null)),
                    new ShopTransaction(new GtidPosition.Gtid(0, 999, 5), 0, List.of(), "DDL on moving table variants: ALTER TABLE ..."),
                    tx(6, new RowChange(variants, null, variant(shop, 3, "D", 1))));

            try (ChangeApplier applier = new ChangeApplier(target, GtidPosition.EMPTY)) {
                assertThatThrownBy(() -> applier.apply(group)).isInstanceOf(MoveAbort.class).hasMessageStartingWith("DDL on moving table variants");

                assertThat(skus(target, shop)).as("everything before the DDL, in order").isEqualTo(Map.of(1L, "B"));
                assertThat(applier.applied()).isEqualTo(GtidPosition.parse("0-999-4"));
                assertThat(applier.appliedTransactions()).isEqualTo(4);
                assertThat(applier.appliedRows()).isEqualTo(4);
            }
        } finally {
            ShopRows.deleteShops(List.of(target), shop);
        }
    }

    private static ShopTable variantsTable(CellMysql cell) throws Exception {
        try (Connection c = cell.connect()) {
            return ShopTables.discover(c, cell.database()).stream().filter(t -> t.name().equals("variants")).findFirst().orElseThrow();
        }
    }

    /** A variants row image in table order, as the streamer hands it over: strings as bytes, the timestamp as epoch microseconds. */
    private static Serializable[] variant(long shop, long id, String sku, int inventory) {
        return new Serializable[] {shop, id, 1L, sku.getBytes(StandardCharsets.UTF_8), 100L, "EUR".getBytes(StandardCharsets.UTF_8),
                inventory, 1_764_000_000_123_456L};
    }

    private static ShopTransaction tx(long sequence, RowChange change) {
        return new ShopTransaction(new GtidPosition.Gtid(0, 999, sequence), 0, List.of(change), null);
    }

    private static Map<Long, String> skus(CellMysql cell, long shop) throws Exception {
        Map<Long, String> skus = new TreeMap<>();
        try (Connection c = cell.connect();
             PreparedStatement s = c.prepareStatement("SELECT id, sku, updated_at FROM variants WHERE shop_id = ?")) {
            s.setLong(1, shop);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    skus.put(rs.getLong(1), rs.getString(2));
                    assertThat(rs.getString(3)).isEqualTo("2025-11-24 16:00:00.123");
                }
            }
        }
        return skus;
    }
}
