/**
 * A do-nothing OTLP/HTTP receiver for measuring the proxy with tracing on:
 * answers every export with 200 and counts requests and bytes (printed on
 * SIGINT/SIGTERM), so the cost measured is the proxy's own (spans, batching,
 * encoding, sending), not a backend's. Usage (docs/proxy.md, "Tracing"):
 *   taskset -c 0 bun scripts/load/proxy-bench/otlp-sink.ts 26318 &
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:26318 BENCH_BEFORE=… bun scripts/load/proxy.ts
 */
const port = Number(process.argv[2] ?? 4318);
let requests = 0;
let bytes = 0;
const server = Bun.serve({
  hostname: "127.0.0.1",
  port,
  async fetch(req) {
    requests++;
    bytes += (await req.arrayBuffer()).byteLength;
    return new Response(null, { status: 200 });
  },
});
console.log(`otlp sink on http://127.0.0.1:${server.port}`);
for (const sig of ["SIGINT", "SIGTERM"] as const)
  process.on(sig, () => {
    console.log(`otlp sink: ${requests} export requests, ${(bytes / 1e6).toFixed(1)} MB`);
    process.exit(0);
  });

// A module (not a script): its names stay its own.
export {};
