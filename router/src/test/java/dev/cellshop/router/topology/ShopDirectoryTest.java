package dev.cellshop.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.placement.PlacementState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShopDirectoryTest {

    private static final ShopId SHOP = ShopId.of(42);

    @Test
    void neverGoesBackToAnOlderEpoch() {
        ShopDirectory directory = new ShopDirectory();
        List<Placement> heard = new ArrayList<>();
        directory.onChange((shop, p) -> heard.add(p));
        Placement third = new Placement(CellId.of("cell-b"), PlacementState.ACTIVE, 3);
        assertThat(directory.putPlacement(SHOP, third)).isTrue();
        assertThat(directory.putPlacement(SHOP, new Placement(CellId.of("cell-a"), PlacementState.FROZEN, 2))).isFalse();
        assertThat(directory.placement(SHOP)).isEqualTo(third);
        assertThat(heard).containsExactly(third);
    }

    @Test
    void takesAnOperatorsRewriteAtTheSameEpoch() {
        ShopDirectory directory = new ShopDirectory();
        directory.putPlacement(SHOP, new Placement(CellId.of("cell-a"), PlacementState.ACTIVE, 3));
        Placement fixed = new Placement(CellId.of("cell-b"), PlacementState.ACTIVE, 3);
        assertThat(directory.putPlacement(SHOP, fixed)).isTrue();
        assertThat(directory.placement(SHOP)).isEqualTo(fixed);
        assertThat(directory.putPlacement(SHOP, fixed)).as("the same again is no change").isFalse();
    }

    @Test
    void sharesOnePlacementObjectAmongShopsPlacedAlike() {
        ShopDirectory directory = new ShopDirectory();
        directory.putPlacement(ShopId.of(1), Placement.initial(CellId.of("cell-a")));
        directory.putPlacement(ShopId.of(2), Placement.initial(CellId.of("cell-a")));
        assertThat(directory.placement(ShopId.of(1))).isSameAs(directory.placement(ShopId.of(2)));
        assertThat(directory.shopsPerCell()).containsEntry(CellId.of("cell-a"), 2);
    }

    @Test
    void removalsAreHeardAndDomainsResolve() {
        ShopDirectory directory = new ShopDirectory();
        List<Placement> heard = new ArrayList<>();
        directory.onChange((shop, p) -> heard.add(p));
        directory.putPlacement(SHOP, Placement.initial(CellId.of("cell-a")));
        directory.putDomain("shop.example", SHOP);
        assertThat(directory.shopOfDomain("shop.example")).isEqualTo(SHOP);
        directory.removePlacement(SHOP);
        directory.removeDomain("shop.example");
        assertThat(directory.placement(SHOP)).isNull();
        assertThat(directory.shopOfDomain("shop.example")).isNull();
        assertThat(heard).hasSize(2).last().isNull();
    }
}
