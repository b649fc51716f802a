/**
 * A small upstream app for the proxy tests, run as its own process:
 * `bun proxy/testing/upstream.ts <name>`. Prints `{"port":N}` once listening.
 */
const name = process.argv[2] ?? "up";
let hits = 0;
let healthy = true;
let delayMs = 0;
let slowSeen = 0;
/** requests to /api/hang, and how many of them saw their connection close */
let hangSeen = 0;
let hangClosed = 0;
/** status /api/who answers with (0: 200 with the name) */
let forcedStatus = 0;
const big = JSON.stringify({
  name,
  items: Array.from({ length: 400 }, (_, i) => ({ id: i, title: `item ${i}` })),
});

const server = Bun.serve<undefined>({
  port: Number(process.argv[3] ?? 0),
  idleTimeout: 30,
  async fetch(req, srv) {
    const url = new URL(req.url);
    const p = url.pathname;
    if (p === "/healthz")
      return healthy ? Response.json({ status: "ok" }) : new Response("down", { status: 503 });
    hits++;
    if (p === "/api/who") {
      if (forcedStatus) return new Response("forced", { status: forcedStatus });
      if (delayMs) await Bun.sleep(delayMs);
      return Response.json({ name });
    }
    if (p === "/api/hits") return Response.json({ name, hits, slowSeen, hangSeen, hangClosed });
    if (p === "/api/set-status") {
      forcedStatus = Number(url.searchParams.get("code") ?? 0);
      return Response.json({ forcedStatus });
    }
    if (p === "/api/hang") {
      // Never answers: the request ends only when the proxy closes the connection.
      hangSeen++;
      return new Promise<Response>((resolve) => {
        req.signal.addEventListener("abort", () => {
          hangClosed++;
          resolve(new Response("aborted", { status: 499 }));
        });
      });
    }
    if (p === "/api/etag")
      return new Response(big, { headers: { "content-type": "application/json", etag: '"v1-abc"' } });
    if (p === "/api/set-delay") {
      delayMs = Number(url.searchParams.get("ms") ?? 0);
      return Response.json({ delayMs });
    }
    if (p === "/api/health-toggle") {
      healthy = url.searchParams.get("ok") === "1";
      return Response.json({ healthy });
    }
    if (p === "/api/slow") {
      slowSeen++;
      await Bun.sleep(Number(url.searchParams.get("ms") ?? 1000));
      return Response.json({ name, slow: true });
    }
    if (p === "/api/big") return new Response(big, { headers: { "content-type": "application/json" } });
    if (p === "/api/fat") {
      // A head and body that together overflow the proxy's 64 KiB assembly buffer.
      const body = "b".repeat(50_000);
      return new Response(body, { headers: { "content-type": "text/plain", "x-fat": "h".repeat(30_000) } });
    }
    if (p === "/api/notransform")
      return new Response(big, {
        headers: { "content-type": "application/json", "cache-control": "no-transform" },
      });
    if (p === "/api/pregz")
      return new Response(Bun.gzipSync(Buffer.from(big)), {
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
      });
    if (p === "/api/stream") {
      const stream = new ReadableStream({
        async pull(ctrl) {
          for (let i = 0; i < 5; i++) {
            ctrl.enqueue(new TextEncoder().encode(`${JSON.stringify({ i, pad: "x".repeat(500) })}\n`));
            await Bun.sleep(5);
          }
          ctrl.close();
        },
      });
      return new Response(stream, { headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    if (p === "/api/echo") {
      const body = new Uint8Array(await req.arrayBuffer());
      return Response.json({
        name,
        bytes: body.length,
        sha: new Bun.CryptoHasher("sha256").update(body).digest("hex"),
      });
    }
    if (p === "/api/headers") return Response.json(Object.fromEntries(req.headers));
    if (p === "/api/redirect-empty")
      return new Response(null, { status: 303, headers: { location: "/api/who", "content-length": "0" } });
    if (p.startsWith("/api/status/")) return new Response("x", { status: Number(p.slice(12)) });
    if (p === "/api/ws") {
      if (srv.upgrade(req)) return undefined;
      return new Response("upgrade required", { status: 426 });
    }
    if (p === "/api/exit") setTimeout(() => process.exit(1), 5);
    return Response.json({ name, path: p }, { status: p.startsWith("/api/") ? 200 : 404 });
  },
  websocket: {
    message(ws, msg) {
      ws.send(typeof msg === "string" ? `${name}:${msg}` : msg);
    },
  },
});
console.log(JSON.stringify({ port: server.port }));
