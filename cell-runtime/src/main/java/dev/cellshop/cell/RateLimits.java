package dev.cellshop.cell;

import dev.cellshop.cell.ratelimit.Limit;
import dev.cellshop.cell.ratelimit.RateLimitSettings;
import dev.cellshop.kernel.config.Config;
import dev.cellshop.kernel.config.ConfigException;
import dev.cellshop.kernel.id.ShopId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The rate-limit settings of the configuration, overrides included ({@code shopId:capacity:perSecond}). */
final class RateLimits {

    private RateLimits() {
    }

    static RateLimitSettings from(Config config) {
        Map<ShopId, Limit> overrides = new HashMap<>();
        for (String entry : config.getList("ratelimit.overrides")) {
            String[] parts = entry.trim().split(":");
            try {
                overrides.put(ShopId.parse(parts[0]), new Limit(Long.parseLong(parts[1]), Double.parseDouble(parts[2])));
            } catch (RuntimeException e) {
                throw new ConfigException(List.of("ratelimit.overrides entry '" + entry + "' is not shopId:capacity:perSecond"));
            }
        }
        return new RateLimitSettings(new Limit(config.getLong("ratelimit.capacity"), config.getLong("ratelimit.refill-per-second")),
                overrides, config.getDuration("ratelimit.timeout"), config.getDuration("ratelimit.lease"),
                config.getInt("ratelimit.lease-max-tokens"));
    }
}
