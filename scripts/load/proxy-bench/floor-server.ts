/**
 * The memory floor of the HTTPS cells: `bun floor-server.ts <port> <cert> <key>`,
 * a bare `Bun.serve` over TLS answering `/api/small` and `/api/large` with the
 * upstream's bodies from memory. No proxying, no modules: what any Bun TLS
 * server holds under the same wrk load, next to the proxy and nginx
 * (HTTP/1.1 only: `Bun.serve` does not speak HTTP/2).
 */
import { large, small } from "./bodies.ts";

const [port, cert, key] = process.argv.slice(2);
const headers = { "content-type": "application/json" };
Bun.serve({
  port: Number(port),
  hostname: "127.0.0.1",
  tls: { cert: Bun.file(cert!), key: Bun.file(key!) },
  fetch: (req) => new Response(new URL(req.url).pathname === "/api/large" ? large : small, { headers }),
});
