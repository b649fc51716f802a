import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/** One import edge between two files of the repository (paths relative to the root, `/`-separated). */
export interface ImportEdge {
  from: string;
  to: string;
  /** 1-based line of the import in `from`. */
  line: number;
}

const SKIP_DIRS = new Set(["node_modules", ".git", ".data", "web", "certs"]);
// Static imports and re-exports (`import … from`, `export … from`, side-effect imports) and dynamic `import("…")`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

/** Every .ts file below `root`, relative to it. */
export function sourceFiles(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    if (SKIP_DIRS.has(name) || name.startsWith(".")) continue;
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(join(root, rel)).isDirectory()) out.push(...sourceFiles(root, rel));
    else if (name.endsWith(".ts")) out.push(rel);
  }
  return out;
}

/**
 * The relative imports of every source file, type-only ones included: a type
 * import ties two layers together as much as a value import does.
 */
export function importEdges(root: string, files = sourceFiles(root)): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = readFileSync(join(root, from), "utf8");
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] as string;
      const to = relative(".", normalize(join(dirname(from), spec)))
        .split("\\")
        .join("/");
      const line = text.slice(0, m.index).split("\n").length;
      edges.push({ from, to, line });
    }
  }
  return edges;
}
