/**
 * Stock buckets: one variant's stock split over several rows so that a flash sale's checkouts
 * do not serialise on one row lock (held by each checkout from its decrement through its commit's
 * fsyncs).
 *
 * <p>The rule, for every variant at every moment: stock figure = {@code variants.inventory} +
 * the sum of its {@code variant_stock_buckets} rows ({@link StockBuckets#STOCK}, read in one
 * statement, so one consistent snapshot). An unbucketed variant has no bucket rows. A split moves
 * the whole figure into N buckets (the variants row keeps 0); a merge moves it back and deletes
 * them. A cancelled order's units go back to the variants row, bucketed or not; a merchant's
 * inventory (PATCH) on a bucketed variant is spread evenly over its buckets.
 *
 * <p>No oversell: every decrement is {@code inventory = inventory - q WHERE ... AND inventory >= q}
 * on one row, and each row has its CHECK (inventory >= 0). No false sold-out: a checkout answers
 * sold out only after it locked the variants row and every bucket and found their sum short
 * ({@link StockTake}).
 *
 * <p>Lock order: every writer of a variant's stock locks its rows in one order, the buckets by
 * number, then the variants row (split, merge, a merchant's inventory, the checkout's slow path; a
 * cancel locks the variants row only). A checkout's fast path goes up the buckets from a random one,
 * then to the variants row; a bucket it found short stays locked (MariaDB keeps it even at READ
 * COMMITTED, where checkouts run: no gap locks, and a locked row whose last committed version is
 * short is passed over without waiting). The one exception is a slow path after a fast path that
 * started above bucket 0; the deadlocks it can cause near sell-out are rolled back by InnoDB at once
 * and the checkout is run again ({@link StockTake}). Across variants, lines go in variant-id order.
 *
 * <p>Who splits and merges: the merchant ({@link StockBucketsApi}), {@link AutoSplit} for a variant
 * whose checkouts pass a rate on one instance, and {@link BucketMerger} once a sale's buckets stand idle.
 */
package dev.cellshop.cell.stock;
