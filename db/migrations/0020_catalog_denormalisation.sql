-- Catalog: keep products.min_price / max_price / in_stock exact, and index every list filter/sort.
--
-- Why triggers rather than computing in_stock at query time: stock changes
-- come from several modules (checkout's reserveStock/releaseStock, order
-- cancellation, the reservation sweeper, admin adjust), and search indexes
-- products.in_stock too. A trigger keeps the column right in the same
-- transaction whoever writes, and lets the list filter use the products row
-- alone (an EXISTS over variants+inventory per row would make `in_stock=true`
-- counts on 100k products walk every variant).
--
-- Cost control: the triggers are statement-level with transition tables, so a
-- bulk insert (the seed) does one set-based refresh, and stock updates only
-- touch the products row when a SKU crosses zero (the usual checkout, 7 -> 6,
-- changes nothing there). That crossing is the one moment a checkout also
-- locks the products row; two checkouts that each sell out SKUs of the same
-- two products in opposite order can deadlock, and Postgres then aborts one
-- (SQLSTATE 40P01) which the caller may retry.

create function catalog_refresh_prices(pids bigint[]) returns void
language sql as $$
  update products p
  set min_price = s.min_price, max_price = s.max_price
  from (
    select x.id,
           coalesce((select min(v.price) from variants v where v.product_id = x.id), 0) as min_price,
           coalesce((select max(v.price) from variants v where v.product_id = x.id), 0) as max_price
    from (select distinct unnest(pids) as id) x
  ) s
  where p.id = s.id and (p.min_price, p.max_price) is distinct from (s.min_price, s.max_price);
$$;

create function catalog_refresh_stock(pids bigint[]) returns void
language sql as $$
  update products p
  set in_stock = s.in_stock
  from (
    select x.id,
           exists (select 1 from variants v join inventory i on i.sku = v.sku
                   where v.product_id = x.id and i.quantity > 0) as in_stock
    from (select distinct unnest(pids) as id) x
  ) s
  where p.id = s.id and p.in_stock is distinct from s.in_stock;
$$;

-- Variants: prices and (for moved or deleted variants) stock of every product touched.
create function variants_after_insert() returns trigger language plpgsql as $$
declare pids bigint[];
begin
  select array_agg(distinct product_id) into pids from new_rows;
  if pids is not null then perform catalog_refresh_prices(pids); perform catalog_refresh_stock(pids); end if;
  return null;
end $$;

create function variants_after_update() returns trigger language plpgsql as $$
declare pids bigint[];
begin
  select array_agg(distinct id) into pids from (
    select n.product_id as id from new_rows n join old_rows o on o.id = n.id
    where n.price <> o.price or n.product_id <> o.product_id
    union
    select o.product_id from new_rows n join old_rows o on o.id = n.id
    where n.price <> o.price or n.product_id <> o.product_id
  ) t;
  if pids is not null then perform catalog_refresh_prices(pids); perform catalog_refresh_stock(pids); end if;
  return null;
end $$;

create function variants_after_delete() returns trigger language plpgsql as $$
declare pids bigint[];
begin
  select array_agg(distinct product_id) into pids from old_rows;
  if pids is not null then perform catalog_refresh_prices(pids); perform catalog_refresh_stock(pids); end if;
  return null;
end $$;

create trigger variants_refresh_ins after insert on variants
  referencing new table as new_rows for each statement execute function variants_after_insert();
create trigger variants_refresh_upd after update on variants
  referencing old table as old_rows new table as new_rows for each statement execute function variants_after_update();
create trigger variants_refresh_del after delete on variants
  referencing old table as old_rows for each statement execute function variants_after_delete();

-- Inventory: only a SKU crossing zero can change products.in_stock.
create function inventory_after_insert() returns trigger language plpgsql as $$
declare pids bigint[];
begin
  select array_agg(distinct v.product_id) into pids
  from new_rows n join variants v on v.sku = n.sku where n.quantity > 0;
  if pids is not null then perform catalog_refresh_stock(pids); end if;
  return null;
end $$;

create function inventory_after_update() returns trigger language plpgsql as $$
declare pids bigint[];
begin
  select array_agg(distinct v.product_id) into pids
  from new_rows n join old_rows o on o.sku = n.sku join variants v on v.sku = n.sku
  where (n.quantity > 0) <> (o.quantity > 0);
  if pids is not null then perform catalog_refresh_stock(pids); end if;
  return null;
end $$;

create function inventory_after_delete() returns trigger language plpgsql as $$
declare pids bigint[];
begin
  -- When the variant itself is being deleted this finds nothing; the variants trigger refreshes instead.
  select array_agg(distinct v.product_id) into pids
  from old_rows o join variants v on v.sku = o.sku where o.quantity > 0;
  if pids is not null then perform catalog_refresh_stock(pids); end if;
  return null;
end $$;

create trigger inventory_refresh_ins after insert on inventory
  referencing new table as new_rows for each statement execute function inventory_after_insert();
create trigger inventory_refresh_upd after update on inventory
  referencing old table as old_rows new table as new_rows for each statement execute function inventory_after_update();
create trigger inventory_refresh_del after delete on inventory
  referencing old table as old_rows for each statement execute function inventory_after_delete();

-- Average rating as one immutable expression, so `sort=rating` can walk an index.
create function product_rating(rating_sum bigint, rating_count integer) returns double precision
language sql immutable parallel safe as $$
  select case when rating_count > 0 then rating_sum::double precision / rating_count else 0 end
$$;

-- One index per filter/sort combination the list serves (all partial on active products).
create index products_rating_idx on products
  (product_rating(rating_sum, rating_count) desc, rating_count desc, id desc) where status = 'active';
create index products_category_newest_idx on products (category_id, created_at desc, id desc) where status = 'active';
create index products_category_price_idx on products (category_id, min_price, id) where status = 'active';
create index products_category_rating_idx on products
  (category_id, product_rating(rating_sum, rating_count) desc, rating_count desc, id desc) where status = 'active';
create index products_brand_newest_idx on products (brand, created_at desc, id desc) where status = 'active';
create index products_brand_price_idx on products (brand, min_price, id) where status = 'active';
-- The admin list shows archived products too, newest first.
create index products_admin_idx on products (status, id desc);
-- Superseded by products_category_newest_idx (same leading columns plus the id tie-breaker).
drop index if exists products_category_idx;
-- Superseded by products_brand_newest_idx / products_brand_price_idx.
drop index if exists products_brand_idx;
