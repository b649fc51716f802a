import { join } from "node:path";
import { checkLayers } from "./rules.ts";

/** `bun scripts/layers/main.ts [root]`: prints every layer violation and exits 1 when there is one. */
const root = process.argv[2] ?? join(import.meta.dir, "..", "..");
const violations = checkLayers(root);
for (const v of violations)
  console.error(`layers: ${v.rule}${v.edge ? ` (${v.edge.from}:${v.edge.line})` : ""}`);
if (violations.length) process.exit(1);
console.log("layers: every import points down the layer table; no loops between folders");
