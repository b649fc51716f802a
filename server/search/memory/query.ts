import { MAX_SUGGESTIONS } from "../facet-buckets.ts";
import { prefixTsquery, words } from "../pg/query-text.ts";
import type { Facets, MatchMode, SearchQuery } from "../types.ts";
import type { TypoExpander } from "./fuzzy.ts";
import { listPage } from "./list.ts";
import { applyFilters, clearScores, evaluate, scoreMatches, type WeightedTerms } from "./match.ts";
import { firstByRank } from "./orders.ts";
import { comparator, countFacets, topK } from "./rank.ts";
import type { IndexStore } from "./store.ts";
import { leaves, type QueryNode } from "./tsquery.ts";

/** What the index answers: product ids of the page, in order; the count and facets of all matches. */
export interface IndexAnswer {
  ids: number[];
  total: number;
  facets: Facets;
  match: MatchMode;
}

function resolveLeaf(store: IndexStore, leaf: { word: string; prefix: boolean }): number[] {
  if (leaf.prefix) return store.postings.withPrefix(leaf.word);
  const t = store.postings.id(leaf.word);
  return t >= 0 ? [t] : [];
}

/** Sorts the matches, cuts the page, counts the facets. */
function answer(
  store: IndexStore,
  query: SearchQuery,
  matches: Int32Array,
  match: MatchMode,
  scored: WeightedTerms[] | null,
  withFacets = true,
): IndexAnswer {
  const offset = (query.page - 1) * query.page_size;
  const want = offset + query.page_size;
  const scores = query.sort === "relevance" && scored ? scoreMatches(store, matches, scored) : null;
  let page: number[];
  try {
    // Without scores the order is fixed: the lowest ranks among the matches in the kept order.
    const sort = query.sort === "relevance" ? "newest" : query.sort;
    // A handful of matches is sorted outright (the rank scan could read every word of the order).
    const order =
      scores || matches.length <= 64 ? null : store.orders.order(sort, comparator(store, sort, null));
    page = (
      order
        ? firstByRank(store, order, matches, want)
        : topK(matches, want, comparator(store, query.sort, scores))
    ).slice(offset);
  } finally {
    if (scores) clearScores(store, matches);
  }
  return {
    ids: page.map((s) => store.docs.ids[s]!),
    total: matches.length,
    facets: withFacets ? countFacets(store, matches) : NO_FACETS,
    match,
  };
}

const NO_FACETS: Facets = { categories: [], brands: [], price: [], rating: [] };

/** Every active product through the filters (no text); `withFacets: false` for product lists, which show none. */
export function searchAll(store: IndexStore, query: SearchQuery, withFacets = true): IndexAnswer {
  store.resetArena();
  if (!withFacets) {
    // A list shows no facets: its page and total come without listing the matches, when that pays.
    const offset = (query.page - 1) * query.page_size;
    const sort = query.sort === "relevance" ? "newest" : query.sort;
    const found = listPage(store, query, sort, offset + query.page_size);
    if (found)
      return {
        ids: found.slots.slice(offset).map((s) => store.docs.ids[s]!),
        total: found.total,
        facets: NO_FACETS,
        match: "all",
      };
  }
  return answer(store, query, applyFilters(store, null, query), "all", null, withFacets);
}

/**
 * Full text: the parsed tsquery (exactly Postgres's) over the postings, then
 * the filters; `withFacets: false` when only the ranked ids are wanted.
 */
export function searchFullText(
  store: IndexStore,
  query: SearchQuery,
  node: QueryNode,
  withFacets = true,
): IndexAnswer {
  store.resetArena();
  const candidates = evaluate(store, node, (leaf) => resolveLeaf(store, leaf));
  const matches = applyFilters(store, candidates, query);
  const scored = leaves(node).map((l) => ({ terms: resolveLeaf(store, l), factor: 1 }));
  return answer(store, query, matches, "full_text", scored, withFacets);
}

/** The AND over words of the OR of each word's expansions (empty when a word has none). */
function typoMatches(store: IndexStore, groups: WeightedTerms[][]): Int32Array {
  if (!groups.length || groups.some((g) => g.length === 0)) return new Int32Array(0);
  const node: QueryNode = {
    op: "and",
    kids: groups.map((_g, i) => ({ op: "term" as const, word: String(i), prefix: false })),
  };
  return evaluate(store, node, (leaf) => groups[Number(leaf.word)]!.flatMap((g) => g.terms));
}

/** Typo fallback: every word must be (nearly) a term; close terms score less than exact ones. */
export function searchTypos(
  store: IndexStore,
  expander: TypoExpander,
  query: SearchQuery,
  normalised: string,
  withFacets = true,
): IndexAnswer {
  store.resetArena();
  const groups = expander.expand(words(normalised).slice(0, 10));
  const matches = applyFilters(store, typoMatches(store, groups), query);
  return answer(store, query, matches, "fuzzy", groups.flat(), withFacets);
}

/** Suggestion slots for a prefix, best first (see docs/search.md for the order). */
export function suggestSlots(
  store: IndexStore,
  expander: TypoExpander,
  prefix: string,
  normalised: string,
): number[] {
  store.resetArena();
  const starting = store.titlesStartingWith(normalised, MAX_SUGGESTIONS);
  const expr = prefixTsquery(prefix.replace(/["-]/g, " "));
  if (starting.length < MAX_SUGGESTIONS && expr) {
    // Later words: the same words ANDed, the last one as a prefix, over the whole vector.
    const ws = words(normalised.replace(/["-]/g, " ")).slice(0, 10);
    const node: QueryNode = {
      op: "and",
      kids: ws.map((w, i) => ({ op: "term" as const, word: w, prefix: i === ws.length - 1 })),
    };
    const seen = new Set(starting);
    const found = applyFilters(
      store,
      evaluate(store, node, (leaf) => resolveLeaf(store, leaf)),
      {},
    ).filter((s) => !seen.has(s));
    const d = store.docs;
    const more = topK(
      found,
      MAX_SUGGESTIONS - starting.length,
      (a, b) =>
        d.ratingCount[a]! > d.ratingCount[b]! ||
        (d.ratingCount[a] === d.ratingCount[b] && d.ids[a]! > d.ids[b]!),
    );
    if (starting.length + more.length) return [...starting, ...more];
  }
  if (starting.length) return starting;
  const groups = expander.expand(words(normalised).slice(0, 10));
  const matches = applyFilters(store, typoMatches(store, groups), {});
  const scores = scoreMatches(store, matches, groups.flat());
  try {
    return topK(matches, MAX_SUGGESTIONS, comparator(store, "relevance", scores));
  } finally {
    clearScores(store, matches);
  }
}
