import { join } from "node:path";

/**
 * `bun run load [proxy|catalog|checkout|pages|search|list|ai ...]`: runs the benchmarks one after
 * another (never side by side: each needs the machine to itself). Extra
 * arguments after `--` go to every benchmark.
 */
const all = ["proxy", "catalog", "checkout", "pages", "search", "list", "ai"];
const sep = process.argv.indexOf("--");
const names = (sep === -1 ? process.argv.slice(2) : process.argv.slice(2, sep)).filter(Boolean);
const extra = sep === -1 ? [] : process.argv.slice(sep + 1);
const chosen = names.length ? names : all;
const unknown = chosen.filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; choose from ${all.join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const name of chosen) {
  console.log(`\n=== ${name} ===`);
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, `${name}.ts`), ...extra], {
    stdio: ["inherit", "inherit", "inherit"],
  });
  if ((await proc.exited) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
