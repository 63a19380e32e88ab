package dev.cellshop.cell.bench;

import dev.cellshop.cell.ShopRows;
import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.id.ShopId;
import dev.cellshop.kernel.json.Json;
import dev.cellshop.kernel.placement.Placement;
import dev.cellshop.kernel.topology.TopologyPaths;
import dev.cellshop.testkit.PlatformEndpoints;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * {@code setup}: what the control plane does when it places a shop on cell-a, then a product
 * through the admin API; writes what the other modes need to a properties file.
 */
final class SetupMode {

    private SetupMode() {
    }

    static void run(BenchOptions opt) throws Exception {
        PlatformEndpoints platform = BenchOptions.platform(opt.need("state"));
        PlatformEndpoints.Mysql mysql = platform.cell("cell-a").mysql();
        int port = Integer.parseInt(opt.need("port"));
        String secret = opt.need("secret");
        int variants = opt.intValue("variants", 1);
        long inventory = Long.parseLong(opt.get("inventory", "900000000"));

        ShopId shop = ShopId.of(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
        String token = ShopRows.insert(mysql, shop, "bench");
        try (CuratorFramework curator = CuratorFrameworkFactory.newClient(platform.zookeeper(), new ExponentialBackoffRetry(100, 5))) {
            curator.start();
            curator.create().creatingParentContainersIfNeeded()
                    .forPath(TopologyPaths.DEFAULT.shop(shop), Json.writeBytes(Placement.initial(CellId.of("cell-a"))));
        }
        try (SignedCellClient cell = new SignedCellClient(port, 4, secret, shop)) {
            awaitServed(cell);
            JsonObject product = createProduct(cell, token, variants, inventory);
            StringBuilder ids = new StringBuilder();
            product.getJsonArray("variants").forEach(v -> ids.append(ids.isEmpty() ? "" : ",").append(((JsonObject) v).getString("id")));
            Properties p = new Properties();
            p.setProperty("state", opt.need("state"));
            p.setProperty("port", Integer.toString(port));
            p.setProperty("secret", secret);
            p.setProperty("shopId", Long.toString(shop.value()));
            p.setProperty("adminToken", token);
            p.setProperty("productId", product.getString("id"));
            p.setProperty("variantIds", ids.toString());
            try (OutputStream o = new FileOutputStream(opt.need("out"))) {
                p.store(o, "ops/bench/cell");
            }
            Results.out("shop", shop.value());
            Results.out("product", product.getString("id"));
            Results.out("variants", ids);
        }
    }

    /** The runtime learns the placement through its ZooKeeper watch. */
    private static void awaitServed(SignedCellClient cell) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        SignedCellClient.Resp r;
        do {
            r = cell.await(cell.call(HttpMethod.GET, "/api/v1/products", null));
            if (r.status() != 200) {
                Thread.sleep(100);
            }
        } while (r.status() != 200 && System.currentTimeMillis() < deadline);
        if (r.status() != 200) {
            throw new IllegalStateException("the runtime does not serve the bench shop: " + r.status() + " " + r.body());
        }
    }

    private static JsonObject createProduct(SignedCellClient cell, String adminToken, int variants, long inventory) throws Exception {
        JsonArray vs = new JsonArray();
        for (int i = 0; i < variants; i++) {
            vs.add(new JsonObject().put("sku", "BENCH-" + i)
                    .put("price", new JsonObject().put("amount", 1999).put("currency", "EUR")).put("inventory", inventory));
        }
        SignedCellClient.Resp created = cell.await(cell.call(HttpMethod.POST, "/admin/v1/products",
                new JsonObject().put("title", "Bench product").put("variants", vs).encode(), "Authorization", "Bearer " + adminToken));
        if (created.status() != 201) {
            throw new IllegalStateException("creating the bench product: " + created.status() + " " + created.body());
        }
        return new JsonObject(created.body());
    }
}
