/**
 * One lexeme of a product's search vector: the best weight it has (3 = A,
 * title; 2 = B, brand; 1 = C, description; 0 = D) and how often it occurs.
 */
export interface VectorLexeme {
  word: string;
  weight: number;
  tf: number;
}

const WEIGHT_OF: Record<string, number> = { A: 3, B: 2, C: 1, D: 0 };

/**
 * Parses `tsvector` output text (`'lexeme':1A,4 'it''s':2B 'nopos'`): quotes
 * inside a lexeme are doubled and backslashes escaped; positions carry an
 * optional weight letter (none = D). Reading Postgres's own vector keeps the
 * in-process index's lexemes identical to the ones full text matches. Calls
 * `each` per lexeme (no array of objects: a build parses millions).
 */
export function forEachLexeme(text: string, each: (word: string, weight: number, tf: number) => void): void {
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (text.charCodeAt(i) === 32) i++;
    if (i >= n || text[i] !== "'") return;
    i++;
    let word = "";
    for (;;) {
      const close = text.indexOf("'", i);
      const slash = text.indexOf("\\", i);
      if (close < 0) return;
      if (slash >= 0 && slash < close) {
        word += text.slice(i, slash) + (text[slash + 1] ?? "");
        i = slash + 2;
      } else if (text[close + 1] === "'") {
        word += `${text.slice(i, close)}'`;
        i = close + 2;
      } else {
        word += text.slice(i, close);
        i = close + 1;
        break;
      }
    }
    let weight = 0;
    let tf = 0;
    if (text[i] === ":") {
      i++;
      while (i < n && text.charCodeAt(i) !== 32) {
        const c = text.charCodeAt(i);
        if (c >= 48 && c <= 57) {
          while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
          tf++;
          const w = WEIGHT_OF[text[i] ?? ""];
          if (w !== undefined) {
            if (w > weight) weight = w;
            i++;
          }
        } else i++; // the comma between positions
      }
    } else tf = 1;
    each(word, weight, tf);
  }
}

/** `forEachLexeme` collected into an array (tests, small inputs). */
export function parseVectorText(text: string): VectorLexeme[] {
  const out: VectorLexeme[] = [];
  forEachLexeme(text, (word, weight, tf) => out.push({ word, weight, tf }));
  return out;
}

/** Packs weight (2 bits) and term frequency (capped at 63) into one byte. */
export function packInfo(weight: number, tf: number): number {
  return (Math.min(tf, 63) << 2) | (weight & 3);
}
