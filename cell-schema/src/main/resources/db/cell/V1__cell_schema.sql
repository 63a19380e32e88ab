-- The schema of every cell's shard. Every shop-owned table leads its primary key with
-- shop_id: a shop's rows are one contiguous range (the mover copies them in key order)
-- and every query filters by shop. Ids come from the shared-kernel generator (globally
-- unique), so a moved shop's rows never collide with the target cell's.
-- Money is BIGINT minor units + ISO currency; never floating point.

CREATE TABLE shops (
  shop_id     BIGINT       NOT NULL,
  name        VARCHAR(200) NOT NULL,
  domain      VARCHAR(253) NOT NULL,
  currency    CHAR(3)      NOT NULL,
  created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (shop_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Admin tokens are stored as SHA-256 of the token: a leaked table opens no shop.
CREATE TABLE shop_admin_tokens (
  shop_id       BIGINT       NOT NULL,
  token_sha256  BINARY(32)   NOT NULL,
  created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (shop_id, token_sha256)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE products (
  shop_id     BIGINT       NOT NULL,
  id          BIGINT       NOT NULL,
  title       VARCHAR(255) NOT NULL,
  created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (shop_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE variants (
  shop_id       BIGINT       NOT NULL,
  id            BIGINT       NOT NULL,
  product_id    BIGINT       NOT NULL,
  sku           VARCHAR(64)  NOT NULL,
  price_amount  BIGINT       NOT NULL,
  currency      CHAR(3)      NOT NULL,
  inventory     INT          NOT NULL,
  updated_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (shop_id, id),
  UNIQUE KEY variants_sku (shop_id, sku),
  KEY variants_product (shop_id, product_id),
  -- The last line of defence against oversell: the database itself refuses a negative stock.
  CONSTRAINT variants_inventory_not_negative CHECK (inventory >= 0),
  CONSTRAINT variants_price_not_negative CHECK (price_amount >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE orders (
  shop_id       BIGINT       NOT NULL,
  id            BIGINT       NOT NULL,
  email         VARCHAR(254) NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  total_amount  BIGINT       NOT NULL,
  currency      CHAR(3)      NOT NULL,
  created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (shop_id, id),
  CONSTRAINT orders_status CHECK (status IN ('PENDING', 'PAID', 'FULFILLED', 'CANCELLED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE order_lines (
  shop_id      BIGINT      NOT NULL,
  order_id     BIGINT      NOT NULL,
  line_no      INT         NOT NULL,
  variant_id   BIGINT      NOT NULL,
  sku          VARCHAR(64) NOT NULL,
  quantity     INT         NOT NULL,
  unit_amount  BIGINT      NOT NULL,
  PRIMARY KEY (shop_id, order_id, line_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The first response to an Idempotency-Key, stored in the checkout's own transaction.
CREATE TABLE idempotency_keys (
  shop_id          BIGINT       NOT NULL,
  idem_key         VARCHAR(255) NOT NULL,
  request_sha256   BINARY(32)   NOT NULL,
  response_status  SMALLINT     NOT NULL,
  response_body    MEDIUMTEXT   NOT NULL,
  created_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (shop_id, idem_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Events written in the same transaction as the change they describe; the relay
-- publishes them to Kafka (at least once) and deletes them. id is the event id.
CREATE TABLE outbox (
  shop_id     BIGINT       NOT NULL,
  id          BIGINT       NOT NULL,
  event_type  VARCHAR(64)  NOT NULL,
  payload     MEDIUMTEXT   NOT NULL,
  created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (shop_id, id),
  KEY outbox_in_order (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
