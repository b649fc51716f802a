import type { Sql } from "../../db/client.ts";
import type { AppDeps } from "../core/deps.ts";
import { listOrders } from "../orders/store.ts";
import { searchEngine } from "../search/engine.ts";
import { listArticles } from "./articles.ts";
import { type LlmSettings, rewrite } from "./llm.ts";
import { passagesOf, rankPassages, terms } from "./retrieve.ts";

/** Where an answer came from. */
export type Citation =
  | { type: "article"; slug: string; title: string }
  | { type: "order"; id: string; status: string }
  | { type: "product"; slug: string; title: string };

/** The assistant's reply. `answered` false means it did not find the answer and says so. */
export interface AssistantAnswer {
  answered: boolean;
  answer: string;
  citations: Citation[];
  source: "order" | "article" | "product" | "none";
  /** True when the configured language model rephrased the retrieved answer. */
  rewritten: boolean;
}

/** A passage must hold at least half of the question's content words, with this much BM25 weight. */
export const MIN_COVERAGE = 0.5;
export const MIN_SCORE = 1.2;
const ORDER_INTENT =
  /\b(my|our)\s+(order|orders|parcel|package|delivery)\b|\btrack(ing)?\b.*\border\b|\border\b.*\b(status|arrive|arriving)\b/i;

const UNKNOWN =
  "I'm sorry, I don't know the answer to that. Please contact our support team, who will be glad to help.";

async function orderAnswer(sql: Sql, userId: number | null): Promise<AssistantAnswer> {
  if (userId === null)
    return {
      answered: true,
      answer: "Please sign in so that I can look up your orders.",
      citations: [],
      source: "order",
      rewritten: false,
    };
  const { rows } = await listOrders(sql, { userId, page: 1, pageSize: 3 });
  if (!rows.length)
    return {
      answered: true,
      answer: "You have no orders with us yet.",
      citations: [],
      source: "order",
      rewritten: false,
    };
  const lines = rows.map(
    (o) => `Order ${o.id.slice(0, 8)} placed on ${o.created_at.toISOString().slice(0, 10)} is ${o.status}.`,
  );
  return {
    answered: true,
    answer: lines.join(" "),
    citations: rows.map((o) => ({ type: "order", id: o.id, status: o.status })),
    source: "order",
    rewritten: false,
  };
}

/**
 * Answers a question only from what it retrieves: the caller's orders for an
 * order question, else the best help-article paragraph (BM25) when it covers
 * the question, else matching products from the search engine, else "I don't
 * know". With `llm` set the retrieved answer is rephrased by the model (given
 * only the retrieved sources); if the model fails the retrieved answer stands.
 */
export async function answerQuestion(
  deps: AppDeps,
  question: string,
  userId: number | null,
  llm: LlmSettings | null,
): Promise<AssistantAnswer> {
  const retrieved = await deps.db.read(async (sql) => {
    if (ORDER_INTENT.test(question)) return orderAnswer(sql, userId);
    const [best] = rankPassages(passagesOf(await listArticles(sql)), question);
    if (best && best.coverage >= MIN_COVERAGE && best.score >= MIN_SCORE)
      return {
        answered: true,
        answer: best.text,
        citations: [{ type: "article", slug: best.slug, title: best.title }],
        source: "article",
        rewritten: false,
      } satisfies AssistantAnswer;
    const words = terms(question);
    if (words.length) {
      const found = await searchEngine(deps).search({
        q: words.join(" "),
        sort: "relevance",
        page: 1,
        page_size: 3,
      });
      if (found.items.length && found.match === "full_text")
        return {
          answered: true,
          answer: `These products match: ${found.items.map((p) => `${p.title} (${(p.price.amount / 100).toFixed(2)} ${p.price.currency})`).join("; ")}.`,
          citations: found.items.map((p) => ({ type: "product", slug: p.slug, title: p.title })),
          source: "product",
          rewritten: false,
        } satisfies AssistantAnswer;
    }
    return {
      answered: false,
      answer: UNKNOWN,
      citations: [],
      source: "none",
      rewritten: false,
    } satisfies AssistantAnswer;
  });
  if (!llm || !retrieved.answered) return retrieved;
  const better = await rewrite(llm, question, retrieved.answer, [retrieved.answer]);
  return better ? { ...retrieved, answer: better, rewritten: true } : retrieved;
}
