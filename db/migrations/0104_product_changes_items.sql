-- The in-process search index (server/search/memory/) also keeps the list
-- items it answers with (title, images, variants with price and stock
-- status) and drops a product's item when the product is named in
-- product_changes. A products row is not touched by every write that changes
-- its item, so these writes name the product too:
--  - any insert, update or delete of a variant (title, price, position, sku);
--  - an inventory row whose stock status changes: out of stock (0 or less),
--    low stock (1 to low_stock_threshold()) or in stock. Other quantity
--    changes (most checkouts) log nothing, so checkout adds no work here.
-- low_stock_threshold() must equal LOW_STOCK_THRESHOLD in
-- server/inventory/stock.ts (server/inventory/stock-threshold.test.ts checks it).
create function low_stock_threshold() returns integer language sql immutable as $$ select 5 $$;

create function stock_status_rank(quantity integer) returns integer language sql immutable as $$
  select case when quantity <= 0 then 0 when quantity <= low_stock_threshold() then 1 else 2 end
$$;

create function log_product_ids(pids bigint[]) returns void language plpgsql as $$
begin
  if pids is null or cardinality(pids) = 0 then return; end if;
  insert into product_changes (product_id) select distinct unnest(pids);
  perform pg_notify('product_changes', '');
end $$;

create function variants_changes_log() returns trigger language plpgsql as $$
declare pids bigint[];
begin
  if tg_op = 'DELETE' then
    select array_agg(distinct product_id) into pids from old_rows;
  else
    select array_agg(distinct product_id) into pids from new_rows;
  end if;
  perform log_product_ids(pids);
  return null;
end $$;

create trigger variants_changes_ins after insert on variants
  referencing new table as new_rows for each statement execute function variants_changes_log();
create trigger variants_changes_upd after update on variants
  referencing new table as new_rows for each statement execute function variants_changes_log();
create trigger variants_changes_del after delete on variants
  referencing old table as old_rows for each statement execute function variants_changes_log();

create function inventory_changes_log() returns trigger language plpgsql as $$
declare pids bigint[];
begin
  if tg_op = 'UPDATE' then
    select array_agg(distinct v.product_id) into pids
    from new_rows n join old_rows o on o.sku = n.sku join variants v on v.sku = n.sku
    where stock_status_rank(n.quantity) <> stock_status_rank(o.quantity);
  elsif tg_op = 'INSERT' then
    select array_agg(distinct v.product_id) into pids from new_rows n join variants v on v.sku = n.sku;
  else
    select array_agg(distinct v.product_id) into pids from old_rows o join variants v on v.sku = o.sku;
  end if;
  perform log_product_ids(pids);
  return null;
end $$;

create trigger inventory_changes_ins after insert on inventory
  referencing new table as new_rows for each statement execute function inventory_changes_log();
create trigger inventory_changes_upd after update on inventory
  referencing old table as old_rows new table as new_rows for each statement execute function inventory_changes_log();
create trigger inventory_changes_del after delete on inventory
  referencing old table as old_rows for each statement execute function inventory_changes_log();
