-- The SHA-256 of each order's orderToken: the shopper's proof for reading the order back
-- (GET /api/v1/orders/{id} with X-Order-Token), since order ids are time-ordered and guessable.
-- Only the hash is kept, as for admin tokens: a leaked orders table opens no order through the
-- API. NULL: an order made before tokens existed, readable through the shop's admin API only.
-- A plain column of a shop table: a shop's move copies, tails and verifies it like any other.
ALTER TABLE orders ADD COLUMN token_sha256 BINARY(32) NULL AFTER epoch;
