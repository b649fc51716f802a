-- Each workers process records its state here every few seconds (server/ops/worker-state.ts);
-- the apps' /health reads it, so the queue entry reflects what the workers actually see.
create table worker_heartbeats (
  worker_id         text primary key,
  transport         text not null,
  broker_connected  boolean not null,
  state             jsonb not null,
  started_at        timestamptz not null,
  updated_at        timestamptz not null default now()
);
