import type { Sql } from "../../db/client.ts";

/** A product's list item as JSON text, keyed by the product id. */
export interface ItemJsonRow {
  id: string;
  item: string;
}

/**
 * The active products among `ids` as list-item JSON text: the rows of
 * `product_items` (migration 0107), kept by triggers in every transaction
 * that changes an item, byte for byte `JSON.stringify(presentListItem(row))`
 * (same keys in the same order, no spaces; `item-json.test.ts` checks it on
 * awkward rows and on every product of the test seed). A primary-key read of
 * stored text, instead of rendering each item from four tables (40-80 µs a
 * product in Postgres, and ~1 ms of planning against `products`' indexes).
 * Readers that only send items on (the search index's item cache) then splice
 * the texts. Row order is not kept: callers key by id.
 */
export function listItemJsonByIds(sql: Sql, ids: number[]): Promise<ItemJsonRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return sql<ItemJsonRow[]>`
    select product_id as id, item from product_items where product_id = any(${ids}::bigint[])`;
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
