import { tokens } from "../recommend/vectors.ts";
import type { HelpArticle } from "./articles.ts";

/** One paragraph of an article: the unit the assistant retrieves and quotes. */
export interface Passage {
  slug: string;
  title: string;
  text: string;
}

/** A passage with its BM25 score and the share of the question's words it holds. */
export interface Scored extends Passage {
  score: number;
  coverage: number;
}

/** Crude English stemming (plural and verb endings) so "returns" meets "return" and "shipped" "ship". */
export function stem(word: string): string {
  return word
    .replace(/(ies)$/, "y")
    .replace(/(x|ss|sh|ch)es$/, "$1")
    .replace(/(ing|ed)$/, "")
    .replace(/(?<!s)s$/, "")
    .replace(/(pp|nn|tt)$/, (m) => m[0]!);
}

/** Question words that carry no topic (tokens() already drops the common stop words). */
const FILLER = new Set([
  "do",
  "does",
  "can",
  "how",
  "what",
  "when",
  "where",
  "why",
  "which",
  "my",
  "me",
  "much",
  "long",
  "there",
  "any",
  "get",
  "have",
  "want",
  "need",
  "if",
  "will",
  // Shopping verbs: "do you sell a sofa" asks about sofas.
  "sell",
  "buy",
  "stock",
  "available",
  "offer",
  "please",
]);

/** The stemmed content words of a text. */
export const terms = (text: string) =>
  tokens(text)
    .filter((t) => !FILLER.has(t))
    .map(stem);

/** Splits articles into paragraphs; the title is part of each paragraph's text for matching. */
export function passagesOf(articles: HelpArticle[]): Passage[] {
  return articles.flatMap((a) =>
    a.body
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean)
      .map((text) => ({ slug: a.slug, title: a.title, text })),
  );
}

/** BM25 (k1 1.2, b 0.75) of every passage for `question`, best first. */
export function rankPassages(passages: Passage[], question: string): Scored[] {
  const q = [...new Set(terms(question))];
  if (!q.length) return [];
  const docs = passages.map((p) => terms(`${p.title} ${p.text}`));
  const avg = docs.reduce((a, d) => a + d.length, 0) / Math.max(docs.length, 1);
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  return passages
    .map((p, i) => {
      const d = docs[i]!;
      let score = 0;
      let matched = 0;
      for (const t of q) {
        const tf = d.filter((x) => x === t).length;
        if (!tf) continue;
        matched++;
        const idf = Math.log(1 + (n - df.get(t)! + 0.5) / (df.get(t)! + 0.5));
        score += (idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * d.length) / avg));
      }
      return { ...p, score, coverage: matched / q.length };
    })
    .sort((a, b) => b.score - a.score);
}
