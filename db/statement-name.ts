/**
 * A statement's name for metrics: what it does, never its text or values.
 *
 * A statement may name itself with a leading comment (`/* reserve stock *\/`
 * or `-- reserve stock`), which also shows in pg_stat_activity. Otherwise the
 * name is the verb and the table it works on ("select products", "insert
 * outbox", "update inventory"), or the verb and the function it calls
 * ("select pg_advisory_xact_lock"), or the verb alone ("begin", "commit").
 * Names are computed once per call site (tagged templates keep one strings
 * array per site), so the label set stays as small as the code.
 */
const byTemplate = new WeakMap<readonly string[], string>();

const MAX_LENGTH = 60;

/** The name of the statement a template (or `sql.unsafe` text, as a one-element array) runs. */
export function statementName(strings: readonly string[]): string {
  const known = byTemplate.get(strings);
  if (known) return known;
  const name = nameOf(strings.join("$"));
  byTemplate.set(strings, name);
  return name;
}

const identifier = /^"?([a-z_][a-z0-9_$]*)"?(?:\."?([a-z_][a-z0-9_$]*)"?)?/;

/** Leading `/* … *\/` or `-- …` comment text, if the statement starts with one. */
function leadingComment(text: string): string | null {
  const block = /^\s*\/\*\s*([^*]*?)\s*\*\//.exec(text);
  if (block) return block[1] ?? null;
  const line = /^\s*--\s*([^\n]*?)\s*(?:\n|$)/.exec(text);
  return line ? (line[1] ?? null) : null;
}

/** The main statement of a `with … as (…)` query: what follows the last CTE's closing parenthesis. */
function mainStatement(sql: string): string {
  if (!sql.startsWith("with ")) return sql;
  const m =
    /\)\s*(select|insert|update|delete|merge)\b(?![\s\S]*\)\s*(?:select|insert|update|delete|merge)\b)/.exec(
      sql,
    );
  return m ? sql.slice(m.index + 1).trim() : sql;
}

/** Verb + object of `text` (lower case, letters, digits, `_`, `.` and spaces only). */
export function nameOf(text: string): string {
  const comment = leadingComment(text);
  if (comment) return clean(comment.toLowerCase());
  const sql = mainStatement(
    text
      .replace(/--[^\n]*/g, " ")
      .replace(/\/\*[\s\S]*?\*\//g, " ")
      .replace(/\s+/g, " ")
      .toLowerCase()
      // A template that starts with an interpolated fragment (`${cte} select …`).
      .replace(/^[\s$,]+/, "")
      .trim(),
  );
  const verb = /^[a-z]+/.exec(sql)?.[0] ?? "statement";
  const after = (re: RegExp): string | null => {
    const m = re.exec(sql);
    if (!m) return null;
    const id = identifier.exec(sql.slice(m.index + m[0].length));
    return id ? (id[2] ? `${id[1]}.${id[2]}` : (id[1] ?? null)) : null;
  };
  let object: string | null = null;
  if (verb === "select") object = after(/\bfrom\s+/) ?? after(/^select\s+(?:\*\s*from\s+)?/);
  else if (verb === "insert") object = after(/^insert\s+into\s+/);
  else if (verb === "update") object = after(/^update\s+(?:only\s+)?/);
  else if (verb === "delete") object = after(/^delete\s+from\s+(?:only\s+)?/);
  else if (verb === "lock") object = after(/^lock\s+(?:table\s+)?/);
  return clean(object ? `${verb} ${object}` : verb);
}

function clean(name: string): string {
  const c = name
    .replace(/[^a-z0-9_. ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return (c || "statement").slice(0, MAX_LENGTH);
}
