import { cacheRuntime } from "../cache/index.ts";
import { activeProductIds, activeSlugsByIds, listItemsByIds, productContents } from "../catalog/content.ts";
import { CATEGORIES, PRODUCT_LISTS } from "../catalog/generations.ts";
import { listItemsFor, listItemsJsonFor, spliceItems } from "../catalog/list-source.ts";
import type { ProductListItem } from "../catalog/present.ts";
import type { AppDeps } from "../core/deps.ts";
import { TtlCache } from "../recommend/ttl-cache.ts";
import { tokens } from "../recommend/vectors.ts";
import { searchEngine } from "../search/engine.ts";
import { nearest, ProductVectorBuilder, type ProductVectors } from "./index.ts";
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

/** The catalog generations product vectors and cached answers are built from. */
const GENERATIONS = [CATEGORIES, PRODUCT_LISTS];

interface Built {
  /** When the vectors were built or last found current. */
  checked: number;
  /** When the vectors were built. */
  built: number;
  vectors: ProductVectors;
  /** The catalog generations read before the build ("" when the cache could not tell). */
  version: string;
}

interface State {
  words: Promise<WordVectors | null>;
  products: Built | null;
  building: Promise<unknown> | null;
  /** Hybrid rankings as product ids, per vectors build, limit and normalised query (see `blend`). */
  rankings: TtlCache<number[] | null>;
}

/**
 * How long an instance reuses a ranking (ids only: the items shown are read
 * fresh). The cached answers hang on the catalog generations, which every
 * stock change moves; the ranking does not depend on stock or prices, so a
 * busy shop's misses skip the lexical search and the index scan. A retitled
 * or new product may take this long to move in the ranking.
 */
const RANKING_TTL_MS = 60_000;
const states = new WeakMap<AppDeps, State>();

function stateOf(deps: AppDeps, s: SemanticSettings): State {
  let st = states.get(deps);
  if (!st) {
    const words = loadWordVectors(s.vocabulary).catch((err) => {
      deps.logger.warn("word vectors could not be loaded; search stays lexical", { err });
      return null;
    });
    st = { words, products: null, building: null, rankings: new TtlCache(RANKING_TTL_MS) };
    states.set(deps, st);
  }
  return st;
}

/**
 * The catalog's generations as one string; "" when the cache cannot be read
 * (then always rebuild). Missing generations are recorded first: a missing
 * one read as "-" and recorded later by a list request would look like a
 * catalog change and rebuild the vectors for nothing.
 */
async function catalogVersion(deps: AppDeps): Promise<string> {
  return (await cacheRuntime(deps).aside.versions(GENERATIONS))?.join("/") ?? "";
}

/** Product texts read (and embedded) per round trip: a chunk's embedding blocks the event loop ~10 ms. */
const CHUNK = 500;

async function buildProducts(deps: AppDeps, words: WordVectors): Promise<ProductVectors> {
  const builder = new ProductVectorBuilder(words);
  let after = 0;
  for (;;) {
    const ids = await activeProductIds(deps.db.primary, after, CHUNK);
    if (!ids.length) break;
    builder.add(await productContents(deps.db.primary, ids));
    after = ids.at(-1)!;
  }
  return builder.finish();
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
): Promise<{
  words: WordVectors;
  products: ProductVectors;
  version: string;
  built: number;
  /** This instance's hybrid rankings (see `blend`). */
  rankings: TtlCache<number[] | null>;
} | null> {
  const st = stateOf(deps, s);
  const words = wait ? await st.words : await Promise.race([st.words, Promise.resolve(undefined)]);
  if (!words) return null;
  const stale = !st.products || Date.now() - st.products.checked > s.refreshMs;
  if (stale && !st.building) {
    st.building = refresh(deps, st, s, words)
      .catch((err) => {
        deps.logger.warn("product vectors could not be built", { err });
        return null;
      })
      .finally(() => {
        st.building = null;
      });
  }
  if (!st.products && st.building && wait) await st.building;
  return st.products
    ? {
        words,
        products: st.products.vectors,
        version: st.products.version,
        built: st.products.built,
        rankings: st.rankings,
      }
    : null;
}

/** Rebuilt at least this many refresh periods apart even when no generation moved. */
const FORCED_REBUILD_PERIODS = 12;

/**
 * Rebuilds the product vectors unless the catalog's generations are the ones
 * they were built from (no product, price, stock or category write since):
 * a rebuild of 100k products costs seconds of CPU, a check one cache read.
 * Writes that raise no generation (an import by SQL) are picked up by a
 * rebuild every 12 refresh periods (1 h by default) all the same.
 */
async function refresh(deps: AppDeps, st: State, s: SemanticSettings, words: WordVectors): Promise<void> {
  const version = await catalogVersion(deps);
  const p = st.products;
  const recent = p !== null && Date.now() - p.built < FORCED_REBUILD_PERIODS * s.refreshMs;
  if (p && recent && version && version === p.version) {
    p.checked = Date.now();
    return;
  }
  const vectors = await buildProducts(deps, words);
  st.products = { checked: Date.now(), built: Date.now(), vectors, version };
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
  const r = await blend(deps, s, q, limit, await semanticIndex(deps, s, wait), null);
  return "ids" in r ? { mode: r.mode, items: await listItemsFor(deps, r.ids, null) } : r;
}

type Index = Awaited<ReturnType<typeof semanticIndex>>;

/** The same text for the same search: spaces collapsed, lower case (the engines ignore case). */
export function normaliseQuery(q: string): string {
  return q.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * `hybridSearch` as the JSON the route sends, cached per normalised query and
 * limit on the catalog's generations (the same ones product list pages hang
 * on: any product, price, stock or category write makes the entry obsolete)
 * and on the catalog version the instance's product vectors were built from.
 * Answers made before the word vectors are ready (lexical stand-ins) are not
 * cached.
 */
export async function hybridSearchJson(
  deps: AppDeps,
  s: SemanticSettings,
  q: string,
  limit: number,
): Promise<string> {
  const index = await semanticIndex(deps, s, false);
  // A ranking by ids is spliced from the items' JSON texts (as `JSON.stringify` of the `HybridResult`).
  const json = async (minLsn: bigint | null) => {
    const r = await blend(deps, s, q, limit, index, minLsn);
    return "ids" in r
      ? spliceItems("mode", r.mode, await listItemsJsonFor(deps, r.ids, minLsn))
      : JSON.stringify(r);
  };
  if (!index?.version) return json(null);
  return cacheRuntime(deps).aside.fetch(
    {
      cache: "semantic_search",
      key: `semantic:${index.version}:${limit}:${normaliseQuery(q)}`,
      generations: GENERATIONS,
    },
    json,
  );
}

/**
 * A hybrid ranking: by ids (the engine ranked ids) or by slugs with the
 * lexical items it presented (the semantic side's slugs are then read: the
 * index keeps no string per product).
 */
type Ranking =
  | { byId: true; ids: number[] }
  | { byId: false; slugs: string[]; known: Map<string, ProductListItem>; idOf: Map<string, number> };

async function rank(
  deps: AppDeps,
  s: SemanticSettings,
  q: string,
  query: Float32Array,
  products: ProductVectors,
  limit: number,
  minLsn: bigint | null,
): Promise<Ranking> {
  const engine = searchEngine(deps);
  const lexicalQuery = { q, sort: "relevance", page: 1, page_size: POOL } as const;
  const lexicalRank = (r: number) => (1 - s.semanticWeight) * (1 - r / POOL);
  // Ids alone when the engine can rank without reading rows: only the `limit` winners are read.
  // Asked before the scan: a new text's parse (a Postgres round trip) runs while the scan has the CPU.
  const lexicalIds = engine.rankIds?.(lexicalQuery);
  const semantic = nearest(products, query, POOL);
  const semanticScore = (cos: number) => s.semanticWeight * Math.max(0, cos);
  const ids = (await lexicalIds) ?? null;
  if (ids) {
    const scores = new Map<number, number>();
    for (const [r, id] of ids.entries()) scores.set(id, lexicalRank(r));
    for (const n of semantic) scores.set(n.id, (scores.get(n.id) ?? 0) + semanticScore(n.score));
    const ranked = [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit)
      .map(([id]) => id);
    return { byId: true, ids: ranked };
  }
  const [lexicalItems, slugOf] = await Promise.all([
    engine.search(lexicalQuery).then((r) => r.items),
    deps.db.read(
      (sql) =>
        activeSlugsByIds(
          sql,
          semantic.map((n) => n.id),
        ),
      { minLsn },
    ),
  ]);
  const scores = new Map<string, number>();
  for (const [r, item] of lexicalItems.entries()) scores.set(item.slug, lexicalRank(r));
  const idOf = new Map<string, number>();
  for (const n of semantic) {
    const slug = slugOf.get(n.id);
    if (slug === undefined) continue; // archived since the vectors were built
    idOf.set(slug, n.id);
    scores.set(slug, (scores.get(slug) ?? 0) + semanticScore(n.score));
  }
  const slugs = [...scores]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([slug]) => slug);
  return { byId: false, slugs, known: new Map(lexicalItems.map((i) => [i.slug, i])), idOf };
}

/**
 * The hybrid answer: as the ranked ids when the ranking is by id (the items
 * are read by the caller, as objects or as JSON texts), else with its items.
 */
async function blend(
  deps: AppDeps,
  s: SemanticSettings,
  q: string,
  limit: number,
  index: Index,
  minLsn: bigint | null,
): Promise<HybridResult | { mode: "hybrid"; ids: number[] }> {
  const query = index ? embed(index.words, tokens(q)) : null;
  if (!index || !query) {
    const lexical = await searchEngine(deps).search({ q, sort: "relevance", page: 1, page_size: limit });
    return { mode: "lexical", items: lexical.items };
  }
  let fresh: Ranking | null = null;
  const ids = await index.rankings.get(`${index.built}:${limit}:${normaliseQuery(q)}`, async () => {
    fresh = await rank(deps, s, q, query, index.products, limit, minLsn);
    return fresh.byId ? fresh.ids : null;
  });
  // The items are read in the order given (archived products left out).
  if (ids) return { mode: "hybrid", ids };
  const r: Ranking = fresh ?? (await rank(deps, s, q, query, index.products, limit, minLsn));
  if (r.byId) return { mode: "hybrid", ids: r.ids };
  // By slug: lexical items as the engine presented them, the semantic-only ones read now.
  const missing = r.slugs.filter((slug) => !r.known.has(slug)).map((slug) => r.idOf.get(slug)!);
  const rows = await deps.db.read((sql) => listItemsByIds(sql, missing), { minLsn });
  const bySlug = new Map(rows.map((i) => [i.slug, i]));
  const items = r.slugs.flatMap((slug) => {
    const item = r.known.get(slug) ?? bySlug.get(slug);
    return item ? [item] : [];
  });
  return { mode: "hybrid", items };
}
