-- Stock buckets: a variant's stock split over several rows, so a flash sale's checkouts do not
-- all queue on the one variants row's lock (each checkout locks the row it decrements until its
-- commit, across the commit's fsyncs). The rule, for every variant at all times:
--   stock figure = variants.inventory + SUM(variant_stock_buckets.inventory)
-- An unbucketed variant has no rows here. A split moves the whole figure into the buckets
-- (variants.inventory becomes 0); a merge moves it back and deletes them; a cancelled order's
-- units go back to variants.inventory either way. Every row guards itself: the CHECK refuses a
-- negative bucket whatever the code does, as variants_inventory_not_negative does for the row.
-- A shop table like the others (shop_id leads the key): a shop's move copies, tails and verifies
-- it, and erases it on the source. No foreign key to variants: a checkout's decrement must not
-- take a lock on the variants row it is meant to avoid.
-- updated_at moves on with every decrement: a variant whose buckets all stayed still for
-- stock.buckets.merge-after is merged back (cell-runtime, dev.cellshop.cell.stock.BucketMerger).
CREATE TABLE variant_stock_buckets (
  shop_id     BIGINT       NOT NULL,
  variant_id  BIGINT       NOT NULL,
  bucket      SMALLINT     NOT NULL,
  inventory   INT          NOT NULL,
  updated_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (shop_id, variant_id, bucket),
  CONSTRAINT variant_stock_buckets_inventory_not_negative CHECK (inventory >= 0),
  CONSTRAINT variant_stock_buckets_bucket CHECK (bucket >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
