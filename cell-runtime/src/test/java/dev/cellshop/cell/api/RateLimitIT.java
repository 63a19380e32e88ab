package dev.cellshop.cell.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.testkit.LocalPlatformExtension;
import dev.cellshop.testkit.PlatformEndpoints;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class RateLimitIT {

    @Test
    void a_shop_over_its_rate_gets_429_with_retry_after_and_another_shop_is_untouched(PlatformEndpoints platform) throws Exception {
        ShopId busyId = ShopId.of(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
        // A bucket of 5 that practically never refills, for this shop only (the per-shop override).
        try (RunningCell limited = new RunningCell(platform, Map.of("CELLSHOP_RATELIMIT_OVERRIDES", busyId.value() + ":5:0.001"))) {
            RunningCell.Shop busy = limited.createShop(busyId);
            RunningCell.Shop quiet = limited.createShop();

            List<HttpResponse<String>> burst = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                burst.add(limited.send("GET", "/api/v1/products", busy, null));
            }

            List<Integer> statuses = burst.stream().map(HttpResponse::statusCode).toList();
            int firstRefusal = statuses.indexOf(429);
            assertThat(firstRefusal).as(statuses.toString()).isBetween(0, 4);
            assertThat(statuses.subList(firstRefusal, statuses.size())).as("refused until the bucket refills").containsOnly(429);
            HttpResponse<String> refused = burst.get(firstRefusal);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isPositive();
            assertThat(limited.send("GET", "/api/v1/products", quiet, null).statusCode()).isEqualTo(200);
        }
    }
}
