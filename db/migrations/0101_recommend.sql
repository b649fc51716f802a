-- The recommender's own tables (server/recommend), filled incrementally by the
-- workers' recommend consumer from order.paid and product.* events.

-- Each paid order counted once (events may be delivered twice), with what the
-- customer bought: the for-you history and the idempotency record.
create table rec_orders (
  order_id     uuid primary key,
  user_id      bigint not null,
  product_ids  bigint[] not null,
  paid_at      timestamptz not null
);
create index rec_orders_user_idx on rec_orders(user_id, paid_at desc);

-- Time-decayed popularity of a product: sum over its orders of exp(λ·(t − t₀)).
create table rec_items (
  product_id  bigint primary key,
  weight      float8 not null,
  orders      integer not null
);
create index rec_items_weight_idx on rec_items(weight desc);

-- Time-decayed co-occurrence of two products in one order, both directions stored.
create table rec_pairs (
  product_id  bigint not null,
  other_id    bigint not null,
  weight      float8 not null,
  support     integer not null,
  primary key (product_id, other_id)
);

-- Content-similar products (cosine over title/brand/category/variants/description), top-k per product.
create table rec_similar (
  product_id  bigint not null,
  similar_id  bigint not null,
  score       real not null,
  primary key (product_id, similar_id)
);

-- Product views of signed-in customers (for-you); old rows are trimmed per user.
create table rec_views (
  user_id     bigint not null,
  product_id  bigint not null,
  viewed_at   timestamptz not null default now(),
  primary key (user_id, product_id)
);
create index rec_views_user_idx on rec_views(user_id, viewed_at desc);
