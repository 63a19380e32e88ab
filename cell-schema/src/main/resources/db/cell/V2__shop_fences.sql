-- A shop's write fence on this cell, enforced by the database itself: every write
-- transaction of a shop first reads its row here with a shared lock (LOCK IN SHARE MODE)
-- and commits only if the epoch the router routed it under may still write here:
--   no row                         -> may write (the cell was never fenced for the shop)
--   routed epoch > epoch           -> may write (a placement newer than the fence)
--   routed epoch = epoch, ACTIVE   -> may write
--   otherwise                      -> refused: 421, the router re-resolves
-- A move's cutover raises the source's row to FROZEN at the freeze's epoch before it
-- waits for the shop to go quiet: that UPDATE waits for every write transaction holding
-- the shared lock, and every later one reads FROZEN, so no write at an older epoch can
-- commit on the source after it, whatever a runtime cut off from ZooKeeper believes.
-- The row stays when the shop's other rows are erased, and is never moved with the shop.
CREATE TABLE shop_fences (
  shop_id     BIGINT       NOT NULL,
  epoch       BIGINT       NOT NULL,
  state       VARCHAR(8)   NOT NULL,
  updated_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (shop_id),
  CONSTRAINT shop_fences_state CHECK (state IN ('ACTIVE', 'FROZEN')),
  CONSTRAINT shop_fences_epoch CHECK (epoch >= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
