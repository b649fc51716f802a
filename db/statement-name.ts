/**
 * A statement's name for metrics: what it does, never its text or values.
 *
 * The name is the function that wrote the statement and that function's
 * folder (`catalog.listProductPage`, `core.recordEvent`), or the folder, file
 * and line for an anonymous function (`checkout.place:88`). It is worked out
 * once per statement in the source: postgres.js statements are tagged
 * templates, and a template's strings array is the same object every time its
 * line runs, so it keys a cache and the stack is read only the first time.
 * The label set therefore stays as small as the code. (The same scheme as the
 * statement spans of the tracing work, so a slow statement on a dashboard and
 * its spans carry one name.)
 */
const byTemplate = new WeakMap<readonly string[], string>();
/** `sql.unsafe(text)` makes a new strings array per call: those are cached by text (bounded). */
const byText = new Map<string, string>();
const MAX_TEXTS = 500;

// "    at listProductPage (/app/server/catalog/queries.ts:80:10)" or "    at /app/x.ts:3:1"
const FRAME = /^\s*at (?:async )?(?:(\S+) \()?(.+?):(\d+):\d+\)?$/;
// Frames between the caller and the statement: naming, timing and tracing wrappers.
const PLUMBING = /\/db\/(?:statement-name|instrument|tracing)\.ts$|\/platform\/tracing\.ts$|\/node_modules\//;
// db/client.ts's own helpers that run a caller's function (its own statements keep their names).
const CLIENT_WRAPPERS = new Set(["read", "tx", "track", "begin", "<anonymous>", "anonymous", undefined]);

/** `<folder>.<function>` of the first frame past the plumbing, from an `Error().stack`. */
export function callerName(stack: string | undefined): string {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const file = m[2]!;
    if (PLUMBING.test(file) || !file.includes("/")) continue;
    const fn = m[1]?.replace(/^.*\./, "");
    if (file.endsWith("/db/client.ts") && CLIENT_WRAPPERS.has(fn)) continue;
    const parts = file.split("/");
    const folder = parts[parts.length - 2] ?? "";
    if (fn && fn !== "<anonymous>" && fn !== "anonymous") return `${folder}.${fn}`;
    return `${folder}.${parts[parts.length - 1]!.replace(/\.[cm]?[jt]s$/, "")}:${m[3]}`;
  }
  return "sql";
}

/**
 * The name of the statement a template (or `sql.unsafe` text, as a
 * one-element array) runs. Call it synchronously from the tag call, so the
 * caller is on the stack.
 */
export function statementName(strings: readonly string[]): string {
  const known = byTemplate.get(strings);
  if (known) return known;
  const tagged = Object.hasOwn(strings, "raw");
  const text = tagged ? null : strings.join("$");
  const cached = text === null ? undefined : byText.get(text);
  if (cached) return cached;
  const name = callerName(new Error().stack);
  if (tagged) byTemplate.set(strings, name);
  else if (text !== null) {
    if (byText.size >= MAX_TEXTS) byText.clear();
    byText.set(text, name);
  }
  return name;
}
