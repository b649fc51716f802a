-- Per-account login throttling, keyed by the normalised email rather than the
-- user id: unknown emails are throttled exactly like real ones, so a 429 does
-- not reveal whether an account exists.
create table login_throttle (
  email              text primary key check (email = lower(email) and length(email) <= 254),
  attempts           integer not null check (attempts > 0),
  window_started_at  timestamptz not null default now()
);
create index login_throttle_window_idx on login_throttle(window_started_at);
