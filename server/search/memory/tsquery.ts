/** A parsed tsquery the in-process index can evaluate: AND/OR over (prefix) terms. */
export type QueryNode =
  | { op: "term"; word: string; prefix: boolean }
  | { op: "and" | "or"; kids: QueryNode[] };

type Token = { t: "term"; word: string; prefix: boolean } | { t: "&" | "|" | "(" | ")" };

class Unsupported extends Error {}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " ") {
      i++;
    } else if (c === "&" || c === "|" || c === "(" || c === ")") {
      out.push({ t: c });
      i++;
    } else if (c === "'") {
      let word = "";
      i++;
      for (;;) {
        const d = text[i];
        if (d === undefined) throw new Unsupported();
        if (d === "\\") {
          word += text[i + 1] ?? "";
          i += 2;
        } else if (d === "'" && text[i + 1] === "'") {
          word += "'";
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else {
          word += d;
          i++;
        }
      }
      let prefix = false;
      if (text[i] === ":") {
        i++;
        // Only a bare `:*` is supported; weight restrictions (`:AB`) are not.
        if (text[i] !== "*" || /[A-D]/i.test(text[i + 1] ?? "")) throw new Unsupported();
        prefix = true;
        i++;
      }
      out.push({ t: "term", word, prefix });
    } else {
      // `!`, `<->`, `<N>`: negation and phrases need positions, which the index does not keep.
      throw new Unsupported();
    }
  }
  return out;
}

/**
 * Parses Postgres's text form of a tsquery (`'ultra' & 'blend':* | …`) with
 * its precedence (`&` binds tighter than `|`). Null when it uses what the
 * in-process index cannot answer exactly (negation, phrase distance, weight
 * restrictions): the caller then asks Postgres. Empty text parses to null.
 */
export function parseTsquery(text: string): QueryNode | null {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
  if (!tokens.length) return null;
  let i = 0;
  const primary = (): QueryNode => {
    const tok = tokens[i++];
    if (!tok) throw new Unsupported();
    if (tok.t === "term") return { op: "term", word: tok.word, prefix: tok.prefix };
    if (tok.t === "(") {
      const inner = orExpr();
      if (tokens[i++]?.t !== ")") throw new Unsupported();
      return inner;
    }
    throw new Unsupported();
  };
  const andExpr = (): QueryNode => {
    const kids = [primary()];
    while (tokens[i]?.t === "&") {
      i++;
      kids.push(primary());
    }
    return kids.length === 1 ? kids[0]! : { op: "and", kids };
  };
  const orExpr = (): QueryNode => {
    const kids = [andExpr()];
    while (tokens[i]?.t === "|") {
      i++;
      kids.push(andExpr());
    }
    return kids.length === 1 ? kids[0]! : { op: "or", kids };
  };
  try {
    const node = orExpr();
    return i === tokens.length ? node : null;
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

/** Every term leaf of a query. */
export function leaves(node: QueryNode): { word: string; prefix: boolean }[] {
  return node.op === "term" ? [node] : node.kids.flatMap(leaves);
}
