package dev.cellshop.cell.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShopFenceTest {

    @Test
    void an_active_fence_admits_its_own_epoch_and_newer_ones_only() {
        assertThat(ShopFence.admits(3, "ACTIVE", 3)).isTrue();
        assertThat(ShopFence.admits(3, "ACTIVE", 4)).isTrue();
        assertThat(ShopFence.admits(3, "ACTIVE", 2)).as("a router or runtime still at an older placement").isFalse();
    }

    @Test
    void a_frozen_fence_refuses_its_epoch_and_every_older_one() {
        assertThat(ShopFence.admits(4, "FROZEN", 4)).isFalse();
        assertThat(ShopFence.admits(4, "FROZEN", 3)).as("the epoch the shop was served at before the freeze").isFalse();
        assertThat(ShopFence.admits(4, "FROZEN", 1)).isFalse();
    }

    @Test
    void a_frozen_fence_admits_a_newer_placement_of_the_shop_on_this_cell() {
        // an aborted cutover thaws the shop here at freeze + 1; a shop moved back comes at a later epoch still
        assertThat(ShopFence.admits(4, "FROZEN", 5)).isTrue();
        assertThat(ShopFence.admits(4, "FROZEN", 9)).isTrue();
    }
}
