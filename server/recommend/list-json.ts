import { listItemsByIds } from "../catalog/content.ts";
import { productListSource } from "../catalog/list-source.ts";
import type { AppDeps } from "../core/deps.ts";

/**
 * The active products' list items in the order of `ids`, each as its JSON
 * text (exactly `JSON.stringify` of the item), at least as fresh as
 * `minLsn`: `listItemsFor` without parsing, for answers spliced from the
 * texts. The search index's item cache keeps items as text, so parsing
 * them only to serialise the answer again cost ~5 µs an item (20 a semantic
 * search, 10 a recommendation). Without a list source: one read, serialised.
 */
export async function listItemsJsonFor(
  deps: AppDeps,
  ids: number[],
  minLsn: bigint | null = null,
): Promise<string[]> {
  if (!ids.length) return [];
  const source = productListSource(deps);
  if (source) return source.listItemsJson(ids, minLsn);
  const items = await deps.db.read((sql) => listItemsByIds(sql, ids), { minLsn });
  return items.map((item) => JSON.stringify(item));
}

/**
 * `{ "<key>": <value>, "items": [<texts>] }` as `JSON.stringify` writes that
 * object whose items are the parsed texts.
 */
export function spliceItems(key: string, value: string, texts: string[]): string {
  return `{${JSON.stringify(key)}:${JSON.stringify(value)},"items":[${texts.join(",")}]}`;
}
