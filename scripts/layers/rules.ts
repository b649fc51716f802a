import { type ImportEdge, importEdges, sourceFiles } from "./graph.ts";

/**
 * The house plan of docs/architecture.md as code. Each file belongs to a
 * unit: a top-level folder, or for `server/` one of its folders (`core`, a
 * domain) or the assembly (files directly in `server/`). Imports may only point
 * down the layer list, the proxy knows nothing of the app, domains never
 * reach the assembly, and no two units import each other, directly or
 * around a loop.
 */

/** Top-level layers, lowest first; a layer may import those listed in `mayImport`. */
const LAYERS: Record<string, readonly string[]> = {
  platform: [],
  db: ["platform"],
  server: ["platform", "db"],
  workers: ["platform", "db", "server"],
  proxy: ["platform"],
  scripts: ["platform", "db", "server", "workers", "proxy", "scripts"],
};

/** Files at the repository root (the test preload) may import anything. */
const ROOT = "(root)";

/** A violated rule, with the import that breaks it. */
export interface LayerViolation {
  rule: string;
  edge?: ImportEdge;
  cycle?: string[];
}

/** The unit of a file: `platform`, `db`, `server/core`, `server/catalog`, `server` (assembly), … */
export function unitOf(file: string): string {
  const parts = file.split("/");
  if (parts.length === 1) return ROOT;
  const top = parts[0] as string;
  // server/testing/ (the test harness) is built on the assembly and belongs to it.
  if (top === "server" && parts.length > 2 && parts[1] !== "testing") return `server/${parts[1]}`;
  return top;
}

function isTestFile(file: string): boolean {
  return /\.test\.ts$|(^|\/)test-support\.ts$|(^|\/)testing(\.ts$|\/)/.test(file);
}

const SERVER_ASSEMBLY = "server";
/** Builds AppDeps (database, Redis, caches, probes): shared by the app and the workers. */
const DEPS_ASSEMBLY = "server/bootstrap.ts";

function checkEdge(e: ImportEdge): string | null {
  const from = unitOf(e.from);
  const to = unitOf(e.to);
  if (from === ROOT || from === to) return null;
  if (to === ROOT) return `${e.from} imports the root file ${e.to}`;
  const fromTop = from.split("/")[0] as string;
  const toTop = to.split("/")[0] as string;
  if (fromTop !== toTop) {
    const allowed = LAYERS[fromTop];
    if (!allowed) return `${e.from} is in a folder the layer table does not know (${fromTop}/)`;
    if (!allowed.includes(toTop)) return `${fromTop}/ may not import ${toTop}/ (${e.from} → ${e.to})`;
    // Workers use domain functions and the same dependency assembly as the app; only tests build the app.
    if (fromTop === "workers" && to === SERVER_ASSEMBLY && e.to !== DEPS_ASSEMBLY && !isTestFile(e.from))
      return `workers may use domain functions and ${DEPS_ASSEMBLY}, not the app (${e.from} → ${e.to})`;
    return null;
  }
  if (fromTop === "server") {
    if (to === SERVER_ASSEMBLY && !isTestFile(e.from))
      return `a domain never imports the assembly (${e.from} → ${e.to})`;
    if (from === "server/core" && to !== SERVER_ASSEMBLY)
      return `server/core/ may not import a domain (${e.from} → ${e.to})`;
  }
  return null;
}

/** Unit-level loops (strongly connected components of more than one unit), test files left out. */
function unitCycles(edges: ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (isTestFile(e.from)) continue;
    const a = unitOf(e.from);
    const b = unitOf(e.to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)?.add(b);
    if (!graph.has(b)) graph.set(b, new Set());
  }
  // Tarjan's algorithm.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** Every layer violation in the tree rooted at `root`. */
export function checkLayers(root: string): LayerViolation[] {
  const edges = importEdges(root, sourceFiles(root));
  const violations: LayerViolation[] = [];
  for (const e of edges) {
    const rule = checkEdge(e);
    if (rule) violations.push({ rule, edge: e });
  }
  for (const cycle of unitCycles(edges))
    violations.push({ rule: `import loop between ${cycle.join(", ")}`, cycle });
  return violations;
}
