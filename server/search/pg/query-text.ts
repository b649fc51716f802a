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
