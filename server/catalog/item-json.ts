import type { Sql } from "../../db/client.ts";

/** A product's list item as JSON text, keyed by the product id. */
export interface ItemJsonRow {
  id: string;
  item: string;
}

/**
 * The active products among `ids` as list-item JSON text, built by Postgres
 * byte for byte as `JSON.stringify(presentListItem(row))` would build it
 * (same keys in the same order, no spaces; `item-json.test.ts` checks it on
 * awkward rows and on every product of the test seed). Readers that only send
 * items on (the search index's item cache) then parse one text column per
 * product instead of fourteen typed ones, two nested JSON values and a date.
 *
 * Each value is rendered as `presentListItem` renders it: strings through
 * `to_json` (the escapes `JSON.stringify` uses), currency trimmed, the
 * average as `Math.round(sum / count * 100) / 100` in float8 (floor(x + 0.5)
 * is JavaScript's rounding for these positive values; float8 text is the
 * shortest exact form, as in JavaScript), `created_at` truncated to
 * milliseconds as a JavaScript `Date` keeps it, the stock status through
 * `low_stock_threshold()` (migration 0104, equal to the TypeScript
 * threshold). Row order is not kept: callers key by id.
 */
export function listItemJsonByIds(sql: Sql, ids: number[]): Promise<ItemJsonRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return sql<ItemJsonRow[]>`
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
    where p.id = any(${ids}::bigint[]) and p.status = 'active'`;
}

/** Index just past the JSON string whose opening quote is at `quote`; -1 when there is none. */
function stringEnd(json: string, quote: number): number {
  if (json.charCodeAt(quote) !== 34) return -1;
  for (let i = quote + 1; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}

/**
 * The slug and title of a list item's JSON text, read from its first two
 * keys without parsing the rest (suggestions show ten of them per
 * keystroke); any other text is parsed whole.
 */
export function itemSlugAndTitle(json: string): { slug: string; title: string } {
  const slugAt = 8; // after {"slug":
  if (json.startsWith('{"slug":')) {
    const slugEnd = stringEnd(json, slugAt);
    if (slugEnd > 0 && json.startsWith(',"title":', slugEnd)) {
      const titleEnd = stringEnd(json, slugEnd + 9);
      if (titleEnd > 0)
        return {
          slug: JSON.parse(json.slice(slugAt, slugEnd)) as string,
          title: JSON.parse(json.slice(slugEnd + 9, titleEnd)) as string,
        };
    }
  }
  const { slug, title } = JSON.parse(json) as { slug: string; title: string };
  return { slug, title };
}
