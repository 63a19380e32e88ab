package dev.cellshop.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.chaos.workload.History;
import dev.cellshop.chaos.workload.Http;
import dev.cellshop.chaos.workload.Reply;
import java.util.HashMap;
import java.util.Map;

/**
 * No acknowledged cart item is lost except by TTL: every cart the workload kept still holds, per
 * variant, at least the quantity acknowledged into it and at most that plus what went unanswered.
 * Read through the router once the platform settled (a cart of a moved shop must have been carried
 * to its new cell). The run is far shorter than the carts' 7-day TTL, so none may have expired.
 */
final class Carts {

    private Carts() {
    }

    static Invariant check(Evidence e, Http router) {
        Invariant inv = new Invariant("acknowledged cart items kept (none expires in a run)");
        for (History.KeptCart cart : e.history().carts()) {
            if (cart.acknowledged.isEmpty()) {
                continue;
            }
            inv.checked();
            Reply reply = read(router, cart);
            String where = "cart " + cart.token + " of shop " + cart.shop;
            if (reply.status() == 404) {
                inv.violation(where + " is gone; it held " + cart.acknowledged + " acknowledged");
                continue;
            }
            if (reply.status() != 200 || reply.body() == null) {
                inv.violation(where + " could not be read: " + reply.describe());
                continue;
            }
            Map<Long, Integer> items = new HashMap<>();
            for (JsonNode item : reply.body().path("items")) {
                items.put(item.get("variantId").asLong(), item.get("quantity").asInt());
            }
            cart.acknowledged.forEach((variant, quantity) -> {
                int have = items.getOrDefault(variant, 0);
                int most = quantity + cart.unknown.getOrDefault(variant, 0);
                if (have < quantity || have > most) {
                    inv.violation(where + " holds " + have + " of variant " + variant + "; acknowledged " + quantity + ", at most " + most);
                }
            });
        }
        return inv;
    }

    private static Reply read(Http router, History.KeptCart cart) {
        Reply reply = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            reply = router.get("/api/v1/carts/" + cart.token, Map.of("X-Shop-Id", Long.toString(cart.shop)));
            if (!reply.retryable()) {
                return reply;
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return reply;
            }
        }
        return reply;
    }
}
