/**
 * Environment the proxy process is started with (by `bun run dev`, `bun run
 * start:proxy`, the production compose file and the benchmark). Both settings
 * are read once at process start, so they cannot be applied from inside.
 *
 * - `MIMALLOC_PURGE_DELAY=-1`: Bun's allocator otherwise hands freed pages back
 *   to the kernel from a background thread a few milliseconds after they empty,
 *   and the proxy, which frees and allocates the same small buffers on every
 *   request, faults them straight back in. Measured on the small-response
 *   benchmark: the scavenger thread gone, ~2–4% more requests per second.
 * - `BUN_JSC_largeHeapSize=33554432` (32 MiB): JavaScriptCore's minimum heap
 *   budget between collections (default about 11 MB here). Every proxied
 *   response arrives as a fresh buffer, so with 20 KB bodies the default budget
 *   meant ~40 collections a second with 1–4 ms pauses, which showed in p99.
 *   At 32 MiB: ~16 a second; measured on the 20 KB route ~+20% req/s and p99
 *   ~8.6–10 ms -> 6.6–7.7 ms (nginx 5.2–6.0 ms in the same runs).
 *
 * The cost of both is memory: the resident size stays at its peak (about
 * 120–160 MB under load instead of 85–130 MB).
 */
export const proxyRuntimeEnv: Readonly<Record<string, string>> = Object.freeze({
  MIMALLOC_PURGE_DELAY: "-1",
  BUN_JSC_largeHeapSize: "33554432",
});
