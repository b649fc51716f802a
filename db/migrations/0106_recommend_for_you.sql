-- Each customer's for-you list, ranked ahead of time (server/recommend): the
-- workers' recommend consumer ranks it again when one of the customer's
-- orders is counted, a view removes it (the next read ranks and stores it),
-- and a read ranks it again when it is older than REC_FOR_YOU_MAX_AGE_S
-- (other customers' orders move the co-purchase weights it was ranked on).
-- Serving is then one primary-key read instead of the ranking statement.
create table rec_for_you (
  user_id      bigint primary key,
  -- best first; the longest list a request may ask for (50), what was bought left out
  product_ids  bigint[] not null,
  -- 'for_you' (ranked from the history) or 'popular' (no history, or nothing ranked)
  strategy     text not null,
  ranked_at    timestamptz not null default now()
);
