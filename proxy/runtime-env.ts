/**
 * Environment the proxy process is started with (by `bun run dev`, `bun run
 * start:proxy`, the production compose file and the benchmark). Both settings
 * are read once at process start, so they cannot be applied from inside.
 *
 * - `MIMALLOC_PURGE_DELAY=1000`: Bun's allocator hands freed pages back to the
 *   kernel 10 ms after they empty, and the proxy, which frees and allocates the
 *   same buffers on every request, faulted them straight back in. Waiting a
 *   second keeps the pages in use under load and still returns them after a
 *   burst. (Never purging, `-1`, measured +2–4% req/s on the small route in one
 *   A/B; a later A/B of -1, 1000 and the default could not tell them apart
 *   within the noise, while -1 held ~25 MB more after the 20 KB route.)
 * - `BUN_JSC_largeHeapSize=33554432` (32 MiB): JavaScriptCore's minimum heap
 *   budget between collections (default about 11 MB here). Every proxied
 *   response arrives as a fresh buffer, so with 20 KB bodies the default budget
 *   meant ~40 collections a second with 1–4 ms pauses, which showed in p99.
 *   At 32 MiB: ~16 a second; measured on the 20 KB route ~+20% req/s and p99
 *   ~8.6–10 ms -> 6.6–7.7 ms (nginx 5.2–6.0 ms in the same runs).
 *
 * The cost is memory: about 115–200 MB resident under the benchmark's load,
 * against 85–130 MB with the defaults (nginx: ~18 MB).
 */
export const proxyRuntimeEnv: Readonly<Record<string, string>> = Object.freeze({
  MIMALLOC_PURGE_DELAY: "1000",
  BUN_JSC_largeHeapSize: "33554432",
});
