/** At most this many words of a query take part in the prefix form (the rest still match via websearch). */
const MAX_PREFIX_WORDS = 10;

/** The words of a text as the 'simple' parser would see them: runs of letters and digits, lower-cased. */
export function words(text: string): string[] {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * True when the text uses websearch syntax (quoted phrases, `-exclusion`,
 * `or`): then it is taken exactly as written, because adding the prefix
 * form (an OR) would undo an exclusion or widen a phrase.
 */
function usesOperators(text: string): boolean {
  return /["]|(^|\s)-\S|\sor\s/i.test(text);
}

/**
 * A `to_tsquery` expression that ANDs the words and lets the last one be a
 * prefix (`wireless & headph:*`), so that a query typed as you go matches
 * before the last word is complete. Only letters and digits reach it, so no
 * tsquery syntax can be injected; null when nothing is left or when the
 * text uses operators.
 */
export function prefixTsquery(text: string): string | null {
  if (usesOperators(text)) return null;
  const ws = words(text).slice(0, MAX_PREFIX_WORDS);
  if (!ws.length) return null;
  return ws.map((w, i) => (i === ws.length - 1 ? `${w}:*` : w)).join(" & ");
}

/** Lower-case ASCII words with single spaces, no more than the prefix form takes (beyond it the verbatim part is cut). */
const PLAIN = new RegExp(`^[a-z]+(?: [a-z]+){0,${MAX_PREFIX_WORDS - 1}}$`);

/**
 * The words of a plain query (1–10 lower-case ASCII words, single spaces,
 * none of them `or`), whose parse can be put together from its words' (see
 * `composePlainText`); null for any other text.
 */
export function plainWords(q: string): string[] | null {
  if (!PLAIN.test(q)) return null;
  const ws = q.split(" ");
  return ws.includes("or") ? null : ws;
}

/**
 * What `prepareText` answers for a plain query, from the 'english' lexeme
 * of each of its words alone ("" for a stop word): the stemmed words ANDed,
 * ORed with the verbatim words ANDed, the last one as a prefix; only the
 * verbatim part when every word is a stop word. For such text the parser
 * sees each word as a token of its own and `search_norm` changes nothing,
 * so this is Postgres's own answer without the round trip
 * (`compose-text.test.ts` compares them).
 */
export function composePlainText(ws: string[], lexemes: string[]): { tsquery: string; normalised: string } {
  const stemmed = lexemes
    .filter(Boolean)
    .map((l) => `'${l}'`)
    .join(" & ");
  const verbatim = ws.map((w, i) => (i === ws.length - 1 ? `'${w}':*` : `'${w}'`)).join(" & ");
  return { tsquery: stemmed ? `${stemmed} | ${verbatim}` : verbatim, normalised: ws.join(" ") };
}
