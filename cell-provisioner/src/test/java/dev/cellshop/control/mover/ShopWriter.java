package dev.cellshop.control.mover;

import dev.cellshop.kernel.signing.Digests;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Shop traffic on the source cell while a move runs: inserts, updates and deletes of
 * products, variants, orders with their lines, idempotency keys and outbox events, each in
 * its own transaction, spread over the given shops. A transaction InnoDB rolls back (a
 * deadlock with the copy's locked batch) is simply lost, as a shopper's retry would be.
 */
final class ShopWriter implements AutoCloseable {

    private final CellMysql cell;
    private final List<Long> shops;
    private final long maxSeededId;
    private final AtomicLong nextId = new AtomicLong(1_000_000);
    private final AtomicLong committed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    ShopWriter(CellMysql cell, List<Long> shops, long maxSeededId) {
        this.cell = cell;
        this.shops = shops;
        this.maxSeededId = maxSeededId;
        this.thread = Thread.ofPlatform().name("shop-writer").daemon().start(this::run);
    }

    long committed() {
        return committed.get();
    }

    private void run() {
        try (Connection c = cell.connect()) {
            c.setAutoCommit(false);
            while (running) {
                long shop = shops.get(ThreadLocalRandom.current().nextInt(shops.size()));
                try {
                    writeOne(c, shop);
                    c.commit();
                    committed.incrementAndGet();
                } catch (java.sql.SQLTransactionRollbackException deadlock) {
                    c.rollback();
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private void writeOne(Connection c, long shop) throws SQLException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long some = random.nextLong(-5, maxSeededId + 1);
        switch (random.nextInt(8)) {
            case 0 -> {
                long id = nextId.incrementAndGet();
                ShopRows.exec(c, "INSERT INTO products (shop_id, id, title) VALUES (?, ?, ?)", shop, id, "new " + id);
                ShopRows.exec(c, "INSERT INTO variants (shop_id, id, product_id, sku, price_amount, currency, inventory) VALUES (?, ?, ?, ?, 5, 'EUR', 3)",
                        shop, id * 10, id, "sku-new-" + id);
            }
            case 1 -> ShopRows.exec(c, "UPDATE variants SET inventory = inventory + 1, price_amount = price_amount + 1 WHERE shop_id = ? AND id = ?",
                    shop, some * 10);
            case 2 -> {
                ShopRows.exec(c, "DELETE FROM variants WHERE shop_id = ? AND product_id = ?", shop, some);
                ShopRows.exec(c, "DELETE FROM products WHERE shop_id = ? AND id = ?", shop, some);
            }
            case 3 -> {
                long id = nextId.incrementAndGet();
                ShopRows.exec(c, "INSERT INTO orders (shop_id, id, email, status, total_amount, currency, token_sha256) VALUES (?, ?, 'w@example.com', 'PENDING', 10, 'EUR', ?)",
                        shop, id, Digests.sha256("order-token-" + id));
                ShopRows.exec(c, "INSERT INTO order_lines (shop_id, order_id, line_no, variant_id, sku, quantity, unit_amount) VALUES (?, ?, 1, 1, 'x', 1, 10), (?, ?, 2, 2, 'y', 2, 20)",
                        shop, id, shop, id);
                ShopRows.exec(c, "INSERT INTO outbox (shop_id, id, event_type, payload) VALUES (?, ?, 'order.created', '{}')", shop, id);
                ShopRows.exec(c, "INSERT INTO idempotency_keys (shop_id, idem_key, request_sha256, response_status, response_body) VALUES (?, ?, ?, 201, 'ok')",
                        shop, "w-" + id, new byte[32]);
            }
            case 4 -> {
                ShopRows.exec(c, "UPDATE orders SET status = 'FULFILLED' WHERE shop_id = ? AND id = ?", shop, Math.max(1, some / 2));
                // a sale's checkout taking from one of variant 0's stock buckets, or a restock of one (the shop's stock stays >= 0)
                ShopRows.exec(c, "UPDATE variant_stock_buckets SET inventory = GREATEST(inventory + ?, 0) WHERE shop_id = ? AND variant_id = 0 AND bucket = ?",
                        random.nextBoolean() ? -1 : 1, shop, random.nextInt(4));
            }
            case 5 -> ShopRows.exec(c, "DELETE FROM outbox WHERE shop_id = ? AND id = ?", shop, Math.max(1, some / 2));
            case 6 -> ShopRows.exec(c, "DELETE FROM order_lines WHERE shop_id = ? AND order_id = ? AND line_no = 2", shop, Math.max(1, some / 2));
            default -> ShopRows.exec(c, "UPDATE shops SET name = ? WHERE shop_id = ?", "renamed " + random.nextInt(1000), shop);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops the writer; throws what broke it, if anything did. */
    void stop() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw new AssertionError("the shop writer failed", failure.get());
        }
    }
}
