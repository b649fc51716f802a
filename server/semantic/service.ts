import { activeProductIds, listItemsByIds, productContents } from "../catalog/content.ts";
import type { ProductListItem } from "../catalog/present.ts";
import type { AppDeps } from "../core/deps.ts";
import { tokens } from "../recommend/vectors.ts";
import { searchEngine } from "../search/engine.ts";
import { buildProductVectors, nearest, type ProductVectors } from "./index.ts";
import { embed, loadWordVectors, type WordVectors } from "./word-vectors.ts";

/** What semantic search is configured with. */
export interface SemanticSettings {
  /** Words of the packaged vectors kept in memory (most frequent first). */
  vocabulary: number;
  /** Rebuild the product vectors when they are older than this. */
  refreshMs: number;
  /** Weight of the semantic score in the blend (1 − this for the lexical rank). */
  semanticWeight: number;
}

interface State {
  words: Promise<WordVectors | null>;
  products: { built: number; vectors: ProductVectors } | null;
  building: Promise<ProductVectors | null> | null;
}
const states = new WeakMap<AppDeps, State>();

function stateOf(deps: AppDeps, s: SemanticSettings): State {
  let st = states.get(deps);
  if (!st) {
    const words = loadWordVectors(s.vocabulary).catch((err) => {
      deps.logger.warn("word vectors could not be loaded; search stays lexical", { err });
      return null;
    });
    st = { words, products: null, building: null };
    states.set(deps, st);
  }
  return st;
}

async function buildProducts(deps: AppDeps, words: WordVectors): Promise<ProductVectors> {
  const contents = [];
  let after = 0;
  for (;;) {
    const ids = await activeProductIds(deps.db.primary, after, 2000);
    if (!ids.length) break;
    contents.push(...(await productContents(deps.db.primary, ids)));
    after = ids.at(-1)!;
  }
  return buildProductVectors(words, contents);
}

/**
 * The word vectors and product vectors, loading or refreshing them as needed;
 * null while the word vectors are unavailable. `wait` false answers from what
 * is ready (a request never waits for the first load of the 100k words).
 */
export async function semanticIndex(
  deps: AppDeps,
  s: SemanticSettings,
  wait: boolean,
): Promise<{ words: WordVectors; products: ProductVectors } | null> {
  const st = stateOf(deps, s);
  const words = wait ? await st.words : await Promise.race([st.words, Promise.resolve(undefined)]);
  if (!words) return null;
  const stale = !st.products || Date.now() - st.products.built > s.refreshMs;
  if (stale && !st.building) {
    st.building = buildProducts(deps, words)
      .then((vectors) => {
        st.products = { built: Date.now(), vectors };
        return vectors;
      })
      .catch((err) => {
        deps.logger.warn("product vectors could not be built", { err });
        return null;
      })
      .finally(() => {
        st.building = null;
      });
  }
  if (!st.products && st.building && wait) await st.building;
  return st.products ? { words, products: st.products.vectors } : null;
}

/** A hybrid answer and how it was made. */
export interface HybridResult {
  mode: "hybrid" | "lexical";
  items: ProductListItem[];
}

/** How many results of each side are blended. */
const POOL = 50;

/**
 * Hybrid search: the lexical engine's ranking (whatever engine the app uses)
 * blended with the cosine between the query's mean word vector and each
 * product's. score = w·max(0, cos) + (1 − w)·(1 − rank/50) for lexical hits
 * (0 for products the lexical engine did not find). Without word vectors, or
 * when no query word is known, it is the lexical ranking alone.
 */
export async function hybridSearch(
  deps: AppDeps,
  s: SemanticSettings,
  q: string,
  limit: number,
  wait = false,
): Promise<HybridResult> {
  const [lexical, index] = await Promise.all([
    searchEngine(deps).search({ q, sort: "relevance", page: 1, page_size: POOL }),
    semanticIndex(deps, s, wait),
  ]);
  const query = index ? embed(index.words, tokens(q)) : null;
  if (!index || !query) return { mode: "lexical", items: lexical.items.slice(0, limit) };
  const scores = new Map<string, number>();
  for (const [rank, item] of lexical.items.entries())
    scores.set(item.slug, (1 - s.semanticWeight) * (1 - rank / POOL));
  const idOf = new Map<string, number>();
  for (const n of nearest(index.products, query, POOL)) {
    idOf.set(n.slug, n.id);
    scores.set(n.slug, (scores.get(n.slug) ?? 0) + s.semanticWeight * Math.max(0, n.score));
  }
  const ranked = [...scores]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([slug]) => slug);
  const lexicalItems = new Map(lexical.items.map((i) => [i.slug, i]));
  const missing = ranked.filter((slug) => !lexicalItems.has(slug)).map((slug) => idOf.get(slug)!);
  const fetched = new Map(
    (await deps.db.read((sql) => listItemsByIds(sql, missing))).map((i) => [i.slug, i]),
  );
  const items = ranked.flatMap((slug) => {
    const item = lexicalItems.get(slug) ?? fetched.get(slug);
    return item ? [item] : [];
  });
  return { mode: "hybrid", items };
}
