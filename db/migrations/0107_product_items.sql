-- The list item of every active product, stored as its JSON text
-- (server/catalog/item-json.ts). Lists, search pages and recommendations send
-- items; rendering one from products, categories, variants and inventory cost
-- Postgres 40-80 µs (more in planning: products has 15 indexes), the largest
-- part of an uncached list page. Reading stored text by primary key costs a
-- few µs.
--
-- Kept exact in the writing transaction: every write that changes an item
-- already names its product in product_changes (migrations 0090 and 0104:
-- products, variants, stock-status changes of inventory), so one trigger on
-- product_changes re-renders those products; a category's slug or name
-- change re-renders its products. A product that is not active has no row.
-- Rows are written only when the text changes. The seed, which turns the
-- catalog triggers off for its bulk load, refreshes what it loaded at the end.
--
-- The text is byte for byte `JSON.stringify(presentListItem(row))`
-- (item-json.test.ts checks every product of a seed and awkward rows):
-- strings through to_json (JSON.stringify's escapes), currency trimmed, the
-- average as Math.round(sum / count * 100) / 100 in float8 (floor(x + 0.5) is
-- JavaScript's rounding for these positive values; float8 text is the
-- shortest exact form, as in JavaScript), created_at truncated to
-- milliseconds as a JavaScript Date keeps it, the stock status through
-- low_stock_threshold() (migration 0104).
--
-- Locking: the refresh writes a product's row when a SKU's stock status
-- changes (in, low, out of stock), so two checkouts that cross thresholds on
-- SKUs of the same product in opposite order can deadlock here as on the
-- products row (migration 0020); Postgres aborts one and db.tx() runs it again.
create table product_items (
  product_id  bigint primary key references products (id) on delete cascade,
  item        text not null
);

create function render_list_items(pids bigint[]) returns table (product_id bigint, item text)
language sql stable as $$
  select p.id,
    '{"slug":' || to_json(p.slug)::text
    || ',"title":' || to_json(p.title)::text
    || ',"brand":' || to_json(p.brand)::text
    || ',"category":{"id":' || c.id || ',"slug":' || to_json(c.slug)::text
    || ',"name":' || to_json(c.name)::text || '}'
    || ',"images":[' || coalesce((
         select string_agg(e.value::text, ',' order by e.ord)
           from jsonb_array_elements(p.images) with ordinality as e(value, ord)), '') || ']'
    || ',"price":{"amount":' || p.min_price || ',"currency":' || to_json(btrim(p.currency::text))::text || '}'
    || ',"max_price":{"amount":' || p.max_price || ',"currency":' || to_json(btrim(p.currency::text))::text || '}'
    || ',"in_stock":' || p.in_stock::text
    || ',"variants":[' || coalesce((
         select string_agg(
                  '{"sku":' || to_json(v.sku)::text || ',"title":' || to_json(v.title)::text
                  || ',"price":{"amount":' || v.price || ',"currency":' || to_json(btrim(v.currency::text))::text
                  || '},"stock_status":"'
                  || case when s.quantity <= 0 then 'out_of_stock'
                          when s.quantity <= low_stock_threshold() then 'low_stock'
                          else 'in_stock' end || '"}',
                  ',' order by v.position, v.id)
           from variants v
           cross join lateral (
             select coalesce((select i.quantity from inventory i where i.sku = v.sku), 0) as quantity) s
          where v.product_id = p.id), '') || ']'
    || ',"rating":{"average":'
    || case when p.rating_count > 0
            then (floor(p.rating_sum::float8 / p.rating_count * 100 + 0.5) / 100)::text
            else 'null' end
    || ',"count":' || p.rating_count || '}'
    || ',"created_at":"'
    || to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"}' as item
  from products p
  join categories c on c.id = p.category_id
  where p.id = any(pids) and p.status = 'active'
$$;

create function refresh_product_items(pids bigint[]) returns void language plpgsql as $$
begin
  if pids is null or cardinality(pids) = 0 then return; end if;
  delete from product_items i
  where i.product_id = any(pids)
    and not exists (select 1 from products p where p.id = i.product_id and p.status = 'active');
  insert into product_items (product_id, item)
  select r.product_id, r.item from render_list_items(pids) r
  on conflict (product_id) do update set item = excluded.item
    where product_items.item is distinct from excluded.item;
end $$;

create function product_changes_items() returns trigger language plpgsql as $$
begin
  perform refresh_product_items(
    array(select distinct product_id from changed where product_id is not null));
  return null;
end $$;

create trigger product_changes_items after insert on product_changes
  referencing new table as changed for each statement execute function product_changes_items();

create function categories_items() returns trigger language plpgsql as $$
begin
  perform refresh_product_items(array(
    select p.id from products p
    where p.category_id in (
      select n.id from new_rows n join old_rows o on o.id = n.id
      where (n.slug, n.name) is distinct from (o.slug, o.name))));
  return null;
end $$;

create trigger categories_items after update on categories
  referencing old table as old_rows new table as new_rows for each statement execute function categories_items();

select refresh_product_items(array(select id from products where status = 'active'));
