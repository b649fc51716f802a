import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * `bun run build:web`: bundles the client scripts (web/src/*.ts, minified)
 * and the stylesheet into web/static/<name>.<content hash>.<ext>, with .gz
 * siblings, and writes web/assets.json (name → URL) for the pages. The proxy
 * serves fingerprinted names with immutable caching. The output is committed,
 * so a fresh clone runs without building; CI checks it is up to date.
 */
const root = join(import.meta.dir, "..");
const src = join(root, "web/src");
const out = join(root, "web/static");

export async function buildWeb(): Promise<Record<string, string>> {
  const files = new Map<string, Uint8Array>();
  for (const entry of ["app.ts", "admin.ts"]) {
    const r = await Bun.build({
      entrypoints: [join(src, entry)],
      minify: true,
      target: "browser",
      format: "esm",
    });
    if (!r.success) throw new AggregateError(r.logs, `build of ${entry} failed`);
    files.set(entry.replace(/\.ts$/, ".js"), new Uint8Array(await r.outputs[0]!.arrayBuffer()));
  }
  // uPlot's own stylesheet rides along (its legend and cursor need it); a few KB.
  const uplotCss = readFileSync(join(root, "node_modules/uplot/dist/uPlot.min.css"));
  files.set("app.css", Buffer.concat([readFileSync(join(src, "app.css")), Buffer.from("\n"), uplotCss]));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const manifest: Record<string, string> = {};
  for (const [name, bytes] of files) {
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
    const file = name.replace(/\.(\w+)$/, `.${hash}.$1`);
    writeFileSync(join(out, file), bytes);
    writeFileSync(join(out, `${file}.gz`), gzipSync(bytes, { level: 9 }));
    manifest[name] = `/static/${file}`;
  }
  writeFileSync(join(root, "web/assets.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (import.meta.main) {
  const manifest = await buildWeb();
  for (const [name, url] of Object.entries(manifest)) {
    const gz = readdirSync(out).find((f) => `/static/${f}` === `${url}.gz`);
    const size = gz ? readFileSync(join(out, gz)).length : 0;
    console.log(`${name.padEnd(10)} ${url}  (${size} bytes gzipped)`);
  }
}
