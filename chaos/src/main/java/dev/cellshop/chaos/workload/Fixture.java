package dev.cellshop.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shops of a run, made before the faults start: each through the control plane
 * ({@code POST /v1/shops}, pinned alternately on the cells), with one hot variant (a flash
 * sale: little stock, many buyers, so it sells out under the run) and some cold ones (plenty of
 * stock), created through the router with the shop's admin token. The stock each variant
 * starts with is the base of the stock invariant.
 */
public final class Fixture {

    public static final int HOT_STOCK = 150;
    public static final int COLD_STOCK = 5_000;
    public static final int COLD_VARIANTS = 8;

    /** A shop of the run: its admin token, its variants (the hot one first) and their initial stock. */
    public record Shop(long id, String adminToken, long hotVariant, List<Long> coldVariants, Map<Long, Integer> initialStock) {

        public Map<String, String> asShop() {
            return Map.of("X-Shop-Id", Long.toString(id));
        }

        public Map<String, String> asAdmin() {
            return Map.of("X-Shop-Id", Long.toString(id), "Authorization", "Bearer " + adminToken);
        }
    }

    private Fixture() {
    }

    public static List<Shop> create(Http control, Http router, List<String> cells, int shops, long seed) throws InterruptedException {
        List<Shop> made = new ArrayList<>();
        for (int n = 0; n < shops; n++) {
            int i = n;
            String cell = cells.get(i % cells.size());
            Reply created = settle(() -> control.post("/v1/shops", Map.of("name", "chaos shop " + i,
                    "domain", "chaos-" + seed + "-" + i + "-" + System.currentTimeMillis() + ".chaos.test", "cell", cell), Map.of()),
                    "create shop " + i);
            long shop = created.body().get("shopId").asLong();
            String token = created.body().get("adminToken").asText();
            Map<String, String> admin = Map.of("X-Shop-Id", Long.toString(shop), "Authorization", "Bearer " + token);
            Map<Long, Integer> stock = new LinkedHashMap<>();
            JsonNode hot = settle(() -> router.post("/admin/v1/products", product("hot", shop, 1, HOT_STOCK), admin), "hot product").body();
            long hotVariant = hot.get("variants").get(0).get("id").asLong();
            stock.put(hotVariant, HOT_STOCK);
            JsonNode cold = settle(() -> router.post("/admin/v1/products", product("cold", shop, COLD_VARIANTS, COLD_STOCK), admin),
                    "cold product").body();
            List<Long> colds = new ArrayList<>();
            for (JsonNode variant : cold.get("variants")) {
                colds.add(variant.get("id").asLong());
                stock.put(variant.get("id").asLong(), COLD_STOCK);
            }
            made.add(new Shop(shop, token, hotVariant, List.copyOf(colds), Map.copyOf(stock)));
        }
        return List.copyOf(made);
    }

    private static Map<String, Object> product(String title, long shop, int variants, int stock) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int v = 0; v < variants; v++) {
            Map<String, Object> variant = new HashMap<>();
            variant.put("sku", title + "-" + shop + "-" + v);
            variant.put("price", Map.of("amount", 100 + v, "currency", "EUR"));
            variant.put("inventory", stock);
            list.add(variant);
        }
        return Map.of("title", title, "variants", list);
    }

    /** Before the faults a write must succeed; the first seconds of a fresh platform may still answer 503 (a router not yet seeing a new shop). */
    private static Reply settle(java.util.function.Supplier<Reply> call, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        Reply reply;
        do {
            reply = call.get();
            if (reply.outcome() == Outcome.ACKNOWLEDGED) {
                return reply;
            }
            Thread.sleep(500);
        } while (System.currentTimeMillis() < deadline && reply.status() != 409 && reply.status() != 422);
        throw new IllegalStateException(what + " failed: " + reply.describe());
    }
}
