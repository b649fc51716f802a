-- The whole domain of API.md. Money is bigint minor units + ISO 4217 code.
create extension if not exists pg_trgm;
create extension if not exists unaccent;

-- Catalog ---------------------------------------------------------------------
create table categories (
  id          bigint generated always as identity primary key,
  parent_id   bigint references categories(id) on delete restrict,
  slug        text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 120),
  name        text not null check (length(name) between 1 and 200),
  position    integer not null default 0,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  check (parent_id is null or parent_id <> id)
);
create index categories_parent_idx on categories(parent_id);

create table products (
  id           bigint generated always as identity primary key,
  slug         text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 200),
  title        text not null check (length(title) between 1 and 300),
  description  text not null default '',
  brand        text not null default '' check (length(brand) <= 120),
  category_id  bigint not null references categories(id) on delete restrict,
  images       jsonb not null default '[]' check (jsonb_typeof(images) = 'array'),
  status       text not null default 'active' check (status in ('active', 'archived')),
  currency     char(3) not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  -- Denormalised from variants/inventory/reviews so that list filters and sorts use one index.
  min_price    bigint not null default 0 check (min_price >= 0),
  max_price    bigint not null default 0 check (max_price >= min_price),
  in_stock     boolean not null default false,
  rating_sum   bigint not null default 0 check (rating_sum >= 0),
  rating_count integer not null default 0 check (rating_count >= 0),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create index products_category_idx on products(category_id, created_at desc) where status = 'active';
create index products_newest_idx on products(created_at desc, id desc) where status = 'active';
create index products_price_idx on products(min_price, id) where status = 'active';
create index products_brand_idx on products(brand) where status = 'active';

create table variants (
  id          bigint generated always as identity primary key,
  product_id  bigint not null references products(id) on delete cascade,
  sku         text not null unique check (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  title       text not null default '' check (length(title) <= 200),
  price       bigint not null check (price >= 0),
  currency    char(3) not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  position    integer not null default 0,
  created_at  timestamptz not null default now()
);
create index variants_product_idx on variants(product_id, position);

-- One row per SKU; quantity is what can still be sold. Never negative.
create table inventory (
  sku         text primary key references variants(sku) on delete cascade on update cascade,
  quantity    integer not null check (quantity >= 0),
  updated_at  timestamptz not null default now()
);

create table inventory_adjustments (
  id              bigint generated always as identity primary key,
  sku             text not null references inventory(sku) on delete cascade,
  delta           integer not null check (delta <> 0),
  quantity_after  integer not null check (quantity_after >= 0),
  reason          text not null check (length(reason) between 1 and 500),
  actor_id        bigint,
  created_at      timestamptz not null default now()
);
create index inventory_adjustments_sku_idx on inventory_adjustments(sku, created_at desc);

-- Accounts --------------------------------------------------------------------
create table users (
  id                bigint generated always as identity primary key,
  email             text not null check (email = lower(email) and length(email) between 3 and 254),
  password_hash     text not null,
  name              text not null check (length(name) between 1 and 200),
  role              text not null default 'customer' check (role in ('customer', 'staff', 'admin')),
  failed_logins     integer not null default 0 check (failed_logins >= 0),
  locked_until      timestamptz,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create unique index users_email_key on users(email);

create table refresh_tokens (
  id           uuid primary key default gen_random_uuid(),
  user_id      bigint not null references users(id) on delete cascade,
  family_id    uuid not null,
  token_hash   bytea not null unique,
  expires_at   timestamptz not null,
  used_at      timestamptz,
  revoked_at   timestamptz,
  created_at   timestamptz not null default now()
);
create index refresh_tokens_family_idx on refresh_tokens(family_id);
create index refresh_tokens_user_idx on refresh_tokens(user_id);

create table addresses (
  id           bigint generated always as identity primary key,
  user_id      bigint not null references users(id) on delete cascade,
  name         text not null check (length(name) between 1 and 200),
  line1        text not null check (length(line1) between 1 and 300),
  line2        text check (length(line2) <= 300),
  city         text not null check (length(city) between 1 and 200),
  postal_code  text not null check (length(postal_code) between 1 and 20),
  country      char(2) not null check (country ~ '^[A-Z]{2}$'),
  is_default   boolean not null default false,
  created_at   timestamptz not null default now()
);
create index addresses_user_idx on addresses(user_id);

-- Reviews ---------------------------------------------------------------------
create table reviews (
  id          bigint generated always as identity primary key,
  product_id  bigint not null references products(id) on delete cascade,
  user_id     bigint not null references users(id) on delete cascade,
  rating      smallint not null check (rating between 1 and 5),
  title       text not null default '' check (length(title) <= 200),
  body        text not null default '' check (length(body) <= 10000),
  created_at  timestamptz not null default now(),
  unique (product_id, user_id)
);
create index reviews_product_idx on reviews(product_id, created_at desc);

-- Carts -----------------------------------------------------------------------
create table carts (
  id          uuid primary key default gen_random_uuid(),
  user_id     bigint references users(id) on delete cascade,
  currency    char(3) not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  status      text not null default 'active' check (status in ('active', 'merged', 'converted')),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create unique index carts_one_active_per_user on carts(user_id) where status = 'active' and user_id is not null;

create table cart_items (
  id          bigint generated always as identity primary key,
  cart_id     uuid not null references carts(id) on delete cascade,
  sku         text not null references variants(sku) on update cascade,
  quantity    integer not null check (quantity between 1 and 10000),
  created_at  timestamptz not null default now(),
  unique (cart_id, sku)
);

-- Orders and payments ---------------------------------------------------------
create table orders (
  id                uuid primary key default gen_random_uuid(),
  user_id           bigint not null references users(id) on delete restrict,
  cart_id           uuid references carts(id) on delete set null,
  status            text not null default 'pending'
                    check (status in ('pending', 'paid', 'fulfilled', 'shipped', 'delivered', 'cancelled', 'refunded')),
  currency          char(3) not null check (currency ~ '^[A-Z]{3}$'),
  subtotal          bigint not null check (subtotal >= 0),
  shipping          bigint not null check (shipping >= 0),
  tax               bigint not null check (tax >= 0),
  total             bigint not null check (total = subtotal + shipping + tax),
  shipping_address  jsonb not null,
  -- Stock is held from reservation until payment settles; the sweeper releases it after this.
  reservation_expires_at timestamptz,
  stock_released    boolean not null default false,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create index orders_user_idx on orders(user_id, created_at desc);
create index orders_status_idx on orders(status, created_at desc);
create index orders_expiring_idx on orders(reservation_expires_at) where status = 'pending' and not stock_released;

create table order_lines (
  id          bigint generated always as identity primary key,
  order_id    uuid not null references orders(id) on delete cascade,
  sku         text not null,
  title       text not null,
  quantity    integer not null check (quantity > 0),
  unit_price  bigint not null check (unit_price >= 0),
  line_total  bigint not null check (line_total = unit_price * quantity)
);
create index order_lines_order_idx on order_lines(order_id);

create table order_status_history (
  id           bigint generated always as identity primary key,
  order_id     uuid not null references orders(id) on delete cascade,
  from_status  text,
  to_status    text not null,
  actor_id     bigint,
  created_at   timestamptz not null default now()
);
create index order_status_history_order_idx on order_status_history(order_id);

create table payments (
  id            uuid primary key default gen_random_uuid(),
  order_id      uuid not null references orders(id) on delete cascade,
  provider      text not null,
  status        text not null check (status in ('pending', 'authorized', 'captured', 'declined', 'failed', 'refunded')),
  amount        bigint not null check (amount >= 0),
  currency      char(3) not null check (currency ~ '^[A-Z]{3}$'),
  provider_ref  text,
  error         text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index payments_order_idx on payments(order_id);

create table idempotency_keys (
  user_id          bigint not null references users(id) on delete cascade,
  key              text not null check (length(key) between 1 and 255),
  request_hash     text not null,
  status           text not null default 'in_progress' check (status in ('in_progress', 'completed')),
  response_status  integer,
  response_body    jsonb,
  order_id         uuid references orders(id) on delete set null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  primary key (user_id, key)
);

-- Events ----------------------------------------------------------------------
create table outbox (
  seq           bigint generated always as identity primary key,
  id            uuid not null unique default gen_random_uuid(),
  type          text not null,
  aggregate_id  text,
  data          jsonb not null,
  occurred_at   timestamptz not null default now(),
  published_at  timestamptz,
  attempts      integer not null default 0,
  last_error    text
);
create index outbox_unpublished_idx on outbox(seq) where published_at is null;

create table processed_events (
  consumer      text not null,
  event_id      uuid not null,
  processed_at  timestamptz not null default now(),
  primary key (consumer, event_id)
);

create table webhook_endpoints (
  id          uuid primary key default gen_random_uuid(),
  url         text not null check (url ~ '^https?://'),
  events      text[] not null check (cardinality(events) > 0),
  secret      text not null,
  active      boolean not null default true,
  created_at  timestamptz not null default now()
);

create table webhook_deliveries (
  id           bigint generated always as identity primary key,
  endpoint_id  uuid not null references webhook_endpoints(id) on delete cascade,
  event_id     uuid not null,
  event_type   text not null,
  attempt      integer not null check (attempt > 0),
  status_code  integer,
  error        text,
  duration_ms  integer,
  created_at   timestamptz not null default now()
);
create index webhook_deliveries_endpoint_idx on webhook_deliveries(endpoint_id, created_at desc);

create table dead_letters (
  id           bigint generated always as identity primary key,
  consumer     text not null,
  event_id     uuid not null,
  event        jsonb not null,
  error        text not null,
  attempts     integer not null,
  created_at   timestamptz not null default now(),
  replayed_at  timestamptz
);
create index dead_letters_open_idx on dead_letters(created_at desc) where replayed_at is null;
