/**
 * Environment the proxy process is started with (by `bun run dev`, `bun run
 * start:proxy`, the production compose file and the benchmark).
 *
 * `MIMALLOC_PURGE_DELAY=-1`: Bun's allocator otherwise hands freed pages back to
 * the kernel from a background thread a few milliseconds after they empty, and
 * the proxy, which frees and allocates the same small buffers on every request,
 * faults them straight back in. Measured on the small-response benchmark: the
 * scavenger thread gone, ~2–4% more requests per second. The cost is that the
 * resident size stays at its peak instead of shrinking after a burst.
 * It must be in the environment when the process starts (mimalloc reads it once).
 */
export const proxyRuntimeEnv: Readonly<Record<string, string>> = Object.freeze({
  MIMALLOC_PURGE_DELAY: "-1",
});
