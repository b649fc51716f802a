/**
 * Environment an app instance (`server/main.ts`) is started with: by the
 * cluster shim (`bun run dev`, `bun run start:app`), the production compose
 * file, the Swarm stack, the Kubernetes Deployment and the benchmarks. It is
 * read once when the JavaScript engine starts, so it cannot be applied from
 * inside the process.
 *
 * - `BUN_JSC_forceRAMSize=134217728` (128 MiB): JavaScriptCore sizes its heap
 *   budget from the machine's memory; with 24 GB it lets the heap double
 *   before a full collection. The in-process search index (~40 MB of typed
 *   arrays, counted in the heap's size) then lifted an instance to 170–210 MB
 *   under the search benchmark. With 128 MiB the budget grows by 1.25–1.5×
 *   instead: 130–138 MB under the same load (issue 13's bound is 150 MB).
 *   The index keeps its titles in one array, not 100k strings, so those
 *   extra collections have little to visit (docs/search.md, "Memory").
 * - `BUN_JSC_mediumHeapGrowthFactor=1.25`, `BUN_JSC_largeHeapGrowthFactor=1.15`
 *   (JavaScriptCore's defaults 1.5 and 1.24): how far the heap may grow past
 *   what survived the last full collection before the next one. An instance
 *   with the index keeps ~45 MB live, a "medium" heap under a 128 MiB
 *   budget, so it could grow to ~68 MB; when the first burst of requests
 *   after start landed before a collection it did, and stayed there: peak
 *   RSS 153–182 MB in 5 of 18 list runs (2026-12-01). With 1.25: 139–141 MB
 *   in 6 of 6 list runs and 135–136 in 3 of 3 search runs, with no more CPU
 *   a request and p99 no worse (docs/search.md, "Memory budget").
 * - `MIMALLOC_PURGE_DELAY=0`: Bun's native allocator (mimalloc) returns freed
 *   pages to the system at once instead of after its default delay. Under
 *   the list benchmark an instance's memory outside the JS heap (socket and
 *   row buffers, response bodies) held 10–20 MB of freed pages at its peaks:
 *   peak RSS 155–158 MB without, 148–150 MB with (2026-12-01, docs/search.md).
 *   (The proxy sets the opposite, 1000 ms: it trades memory for speed.)
 */
export const appRuntimeEnv: Readonly<Record<string, string>> = Object.freeze({
  BUN_JSC_forceRAMSize: "134217728",
  BUN_JSC_mediumHeapGrowthFactor: "1.25",
  BUN_JSC_largeHeapGrowthFactor: "1.15",
  MIMALLOC_PURGE_DELAY: "0",
});
