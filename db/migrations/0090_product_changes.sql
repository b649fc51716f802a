-- Change log of products for in-process search indexes (server/search/memory/):
-- every insert, update or delete of a products row, whoever writes it (admin
-- API, checkout's stock triggers, review ratings, the seed, plain SQL), adds
-- the product id here in the writing transaction, and NOTIFY
-- 'product_changes' wakes followers at commit. Followers re-read the current
-- row, so one entry per statement and product is enough. A category write
-- adds a row with a null product_id ("re-read the category tree").
-- Entries are only needed while some instance may still be behind; instances
-- prune ones older than an hour (see catalog/search-source.ts).
create table product_changes (
  seq         bigint generated always as identity primary key,
  product_id  bigint,
  changed_at  timestamptz not null default now()
);
create index product_changes_changed_at_idx on product_changes (changed_at);

create function product_changes_log() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    insert into product_changes (product_id) select distinct id from old_rows;
  else
    insert into product_changes (product_id) select distinct id from new_rows;
  end if;
  perform pg_notify('product_changes', '');
  return null;
end $$;

-- Transition tables allow one event per trigger, hence three.
create trigger products_changes_ins after insert on products
  referencing new table as new_rows for each statement execute function product_changes_log();
create trigger products_changes_upd after update on products
  referencing new table as new_rows for each statement execute function product_changes_log();
create trigger products_changes_del after delete on products
  referencing old table as old_rows for each statement execute function product_changes_log();

create function category_changes_log() returns trigger language plpgsql as $$
begin
  insert into product_changes (product_id) values (null);
  perform pg_notify('product_changes', '');
  return null;
end $$;

create trigger categories_changes after insert or update or delete on categories
  for each statement execute function category_changes_log();
