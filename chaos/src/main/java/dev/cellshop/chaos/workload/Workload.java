package dev.cellshop.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellshop.chaos.workload.History.AckedOrder;
import dev.cellshop.chaos.workload.History.KeptCart;
import dev.cellshop.chaos.workload.History.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The shoppers and merchants of the run, through the router only: each worker draws its next
 * operation from its own {@code Random(seed, worker)} — a checkout (a fresh cart of one or two
 * lines, the hot variant often, checked out under an Idempotency-Key that every retry repeats),
 * a cart that is kept (never checked out, so its items must still be there at the end), an
 * order's pay / fulfill / cancel, a merchant's price change, a catalogue read — and records it
 * and its outcome in the {@link History}.
 */
public final class Workload {

    private static final int CHECKOUT_ATTEMPTS = 8;

    private final Http router;
    private final List<Fixture.Shop> shops;
    private final History history;
    private final long seed;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    /** Acknowledged orders per shop, for the transitions to pick from. */
    private final Map<Long, List<Long>> ordersByShop = new ConcurrentHashMap<>();

    public Workload(Http router, List<Fixture.Shop> shops, History history, long seed) {
        this.router = router;
        this.shops = shops;
        this.history = history;
        this.seed = seed;
        shops.forEach(s -> ordersByShop.put(s.id(), new CopyOnWriteArrayList<>()));
    }

    public void start(int workers) {
        for (int i = 0; i < workers; i++) {
            int worker = i;
            threads.add(Thread.ofPlatform().name("chaos-worker-" + i).start(() -> run(worker)));
        }
    }

    /** Stops drawing new operations; the one in hand finishes (its retries included). */
    public void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
    }

    private void run(int worker) {
        Random random = new Random(seed * 1_000_003L + worker);
        long n = 0;
        while (running.get()) {
            Fixture.Shop shop = shops.get(random.nextInt(shops.size()));
            int dice = random.nextInt(100);
            String key = "chaos-" + seed + "-" + worker + "-" + n++;
            if (dice < 45) {
                checkout(shop, random, key);
            } else if (dice < 60) {
                keptCart(shop, random);
            } else if (dice < 80) {
                transition(shop, random);
            } else if (dice < 90) {
                merchantWrite(shop, random);
            } else {
                history.record(op("read", shop, router.get("/api/v1/products", shop.asShop()), 1));
            }
        }
    }

    private void checkout(Fixture.Shop shop, Random random, String key) {
        String cart = newCart(shop);
        if (cart == null) {
            return;
        }
        Map<Long, Integer> lines = new TreeMap<>();
        if (random.nextInt(100) < 60) {
            lines.put(shop.hotVariant(), 1 + random.nextInt(2));
        }
        if (lines.isEmpty() || random.nextBoolean()) {
            lines.put(shop.coldVariants().get(random.nextInt(shop.coldVariants().size())), 1 + random.nextInt(3));
        }
        for (Map.Entry<Long, Integer> line : lines.entrySet()) {
            Reply added = addItem(shop, cart, line.getKey(), line.getValue());
            if (added.outcome() != Outcome.ACKNOWLEDGED) {
                return; // the cart's content is unknown: leave it
            }
        }
        Map<String, String> headers = Map.of("X-Shop-Id", Long.toString(shop.id()), "Idempotency-Key", key);
        Map<String, String> body = Map.of("cartToken", cart, "email", "buyer@chaos.test");
        Reply reply = null;
        int attempt = 0;
        while (attempt < CHECKOUT_ATTEMPTS) {
            attempt++;
            reply = router.post("/api/v1/checkouts", body, headers);
            if (!reply.retryable()) {
                break;
            }
            pause(250L * attempt);
        }
        history.record(op("checkout", shop, reply, attempt));
        if (reply.outcome() == Outcome.ACKNOWLEDGED && reply.body() != null && reply.body().has("id")) {
            long order = reply.body().get("id").asLong();
            List<Line> acked = new ArrayList<>();
            for (JsonNode line : reply.body().get("lines")) {
                acked.add(new Line(line.get("variantId").asLong(), line.get("quantity").asInt()));
            }
            history.order(new AckedOrder(shop.id(), order, List.copyOf(acked), reply));
            ordersByShop.get(shop.id()).add(order);
        }
    }

    private void keptCart(Fixture.Shop shop, Random random) {
        String token = newCart(shop);
        if (token == null) {
            return;
        }
        KeptCart cart = history.keepCart(shop.id(), token);
        int items = 1 + random.nextInt(3);
        for (int i = 0; i < items; i++) {
            long variant = random.nextInt(4) == 0 ? shop.hotVariant() : shop.coldVariants().get(random.nextInt(shop.coldVariants().size()));
            int quantity = 1 + random.nextInt(3);
            Reply added = addItem(shop, token, variant, quantity);
            if (added.outcome() == Outcome.ACKNOWLEDGED) {
                cart.acknowledged.merge(variant, quantity, Integer::sum);
            } else if (added.outcome() == Outcome.UNKNOWN) {
                cart.unknown.merge(variant, quantity, Integer::sum);
            }
        }
    }

    private void transition(Fixture.Shop shop, Random random) {
        List<Long> orders = ordersByShop.get(shop.id());
        if (orders.isEmpty()) {
            return;
        }
        long order = orders.get(random.nextInt(orders.size()));
        int dice = random.nextInt(10);
        String action = dice < 5 ? "pay" : dice < 8 ? "cancel" : "fulfill";
        Reply reply = router.post("/admin/v1/orders/" + order + "/" + action, null, shop.asAdmin());
        history.record(op(action, shop, reply, 1));
        history.transition(new History.Transition(shop.id(), order, action, reply.outcome(), reply));
    }

    /** A price change of a cold variant: a merchant write through the same fence, which the stock invariant must not see. */
    private void merchantWrite(Fixture.Shop shop, Random random) {
        long variant = shop.coldVariants().get(random.nextInt(shop.coldVariants().size()));
        Reply reply = router.patch("/admin/v1/variants/" + variant,
                Map.of("price", Map.of("amount", 100 + random.nextInt(900), "currency", "EUR")), shop.asAdmin());
        history.record(op("price", shop, reply, 1));
    }

    private String newCart(Fixture.Shop shop) {
        Reply reply = router.post("/api/v1/carts", null, shop.asShop());
        history.record(op("cart", shop, reply, 1));
        return reply.outcome() == Outcome.ACKNOWLEDGED && reply.body() != null ? reply.body().get("cartToken").asText() : null;
    }

    private Reply addItem(Fixture.Shop shop, String cart, long variant, int quantity) {
        Reply reply = router.post("/api/v1/carts/" + cart + "/items", Map.of("variantId", Long.toString(variant), "quantity", quantity),
                shop.asShop());
        history.record(op("cart-item", shop, reply, 1));
        return reply;
    }

    private static History.Op op(String kind, Fixture.Shop shop, Reply reply, int attempts) {
        return new History.Op(kind, shop.id(), reply.outcome(), reply, attempts);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
