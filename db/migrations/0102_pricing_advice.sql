-- Pricing advice (server/pricing): every suggestion shown to staff and every
-- decision on it, kept as an audit trail. A suggestion is never applied to a
-- price automatically; accepting one only records the decision.
create table pricing_advice (
  id               bigint generated always as identity primary key,
  sku              text not null,
  current_price    bigint not null check (current_price >= 0),
  suggested_price  bigint check (suggested_price >= 0),
  currency         char(3) not null,
  elasticity       real,
  reasons          jsonb not null,
  requested_by     bigint not null,
  created_at       timestamptz not null default now(),
  decision         text check (decision in ('accepted', 'rejected')),
  decided_by       bigint,
  decided_at       timestamptz,
  note             text check (length(note) <= 500)
);
create index pricing_advice_sku_idx on pricing_advice(sku, created_at desc);
