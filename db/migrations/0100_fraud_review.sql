-- Fraud scoring at checkout (server/fraud). An order whose risk score reaches the
-- review threshold waits in 'review' (money captured, stock taken) until staff
-- approve it (-> paid) or reject it (-> cancelled, refunded, restocked).
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check
  check (status in ('pending', 'review', 'paid', 'fulfilled', 'shipped', 'delivered', 'cancelled', 'refunded'));
-- The score (0..1) and the reasons behind it, written with the payment's confirmation.
alter table orders add column risk_score real check (risk_score between 0 and 1);
alter table orders add column risk_reasons jsonb;

-- One row per settled checkout attempt the scorer saw (written in the
-- transaction that settles the order): the velocity features are counts over
-- these rows. Card tokens and addresses are stored only as SHA-256 hashes.
create table fraud_attempts (
  id            bigint generated always as identity primary key,
  order_id      uuid not null,
  user_id       bigint not null,
  client_ip     text check (length(client_ip) <= 64),
  card_hash     text not null,
  address_hash  text not null,
  amount        bigint not null check (amount >= 0),
  currency      char(3) not null,
  score         real not null,
  outcome       text not null check (outcome in ('paid', 'review', 'declined', 'failed', 'rejected')),
  created_at    timestamptz not null default now()
);
create index fraud_attempts_user_idx on fraud_attempts(user_id, created_at);
create index fraud_attempts_ip_idx on fraud_attempts(client_ip, created_at) where client_ip is not null;
create index fraud_attempts_card_idx on fraud_attempts(card_hash, created_at);
create index fraud_attempts_order_idx on fraud_attempts(order_id);
