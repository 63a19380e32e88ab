package dev.cellshop.cell.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.kernel.id.ShopId;
import org.junit.jupiter.api.Test;

class ProductCacheKeysTest {

    @Test
    void entry_keys_carry_the_shop_its_namespace_version_and_a_narrower_version_so_an_increment_of_either_orphans_them() {
        ShopId shop = ShopId.of(42);

        assertThat(ProductCache.namespaceKey(shop)).isEqualTo("ns:42");
        assertThat(ProductCache.productKey(shop, 9)).isEqualTo("pv:42:9");
        assertThat(ProductCache.listingKey(shop)).isEqualTo("lv:42");
        assertThat(ProductCache.entryKey(shop, 7, 3, "product:9")).isEqualTo("p:42:7.3:product:9");
        assertThat(ProductCache.entryKey(shop, 8, 3, "product:9")).isNotEqualTo(ProductCache.entryKey(shop, 7, 3, "product:9"));
        assertThat(ProductCache.entryKey(shop, 7, 4, "product:9")).isNotEqualTo(ProductCache.entryKey(shop, 7, 3, "product:9"));
    }

    @Test
    void keys_memcached_would_refuse_are_recognised_before_they_are_sent() {
        assertThat(ProductCache.usableKey("p:42:7:list:abc:20")).isTrue();
        assertThat(ProductCache.usableKey("p:42:7:list:a b:20")).isFalse();
        assertThat(ProductCache.usableKey("p:42:7:list:a\nb:20")).isFalse();
        assertThat(ProductCache.usableKey("p:" + "x".repeat(249))).isFalse();
    }
}
