/**
 * Environment the proxy process is started with (by `bun run dev`, `bun run
 * start:proxy`, the production compose file and the benchmark). It is read
 * once at process start, so it cannot be applied from inside.
 *
 * - `MIMALLOC_PURGE_DELAY=1000`: Bun's allocator hands freed pages back to the
 *   kernel 10 ms after they empty, and the proxy, which frees and allocates the
 *   same buffers on every request, faulted them straight back in. Waiting a
 *   second keeps the pages in use under load and still returns them after a
 *   burst. (Never purging, `-1`, measured +2–4% req/s on the small route in one
 *   A/B; a later A/B of -1, 1000 and the default could not tell them apart
 *   within the noise, while -1 held ~25 MB more after the 20 KB route.)
 * - `BUN_JSC_largeHeapSize` is no longer set (it was 32 MiB, JavaScriptCore's
 *   minimum heap budget between collections, for fewer collections on 20 KB
 *   bodies). Issue 18 measured it again after the HTTP/2 layer stopped
 *   allocating per frame: without it the proxy holds 20–45 MB less under the
 *   benchmark (HTTP/2 20 KB 141 -> 112 MB, HTTP/1.1 20 KB 124–139 -> 91–93 MB)
 *   at the same CPU per request within the noise (plain 20 KB 26.7–27.5 ->
 *   25.8–26.3 µs/req; HTTP/2 small 20.9 -> 20.5). `BUN_JSC_largeHeapSize=4194304`
 *   measured the same as the default, `--smol` no better; a shorter purge delay
 *   saved 2–21 MB for up to 8 µs/req on the plain 20 KB route.
 *
 * A bare `bun` process is ~27 MB resident, the proxy with its modules loaded
 * ~55 MB before the first request (nginx: ~16 MB per worker, ~24 MB with its
 * master); docs/proxy.md, "HTTPS", has the measured floor.
 */
export const proxyRuntimeEnv: Readonly<Record<string, string>> = Object.freeze({
  MIMALLOC_PURGE_DELAY: "1000",
});
