/**
 * The benchmark's upstream app: `bun scripts/load/proxy-bench/upstream.ts <port>`.
 * A Hono-on-Bun server with `/api/small` (~200 B JSON) and `/api/large`
 * (~20 KB JSON), started twice by the benchmark (three times by the kill check).
 */
import { Hono } from "hono";
import { large, small } from "./bodies.ts";

const port = Number(process.argv[2]);
const app = new Hono();
app.get("/api/small", (c) => c.body(small, 200, { "content-type": "application/json" }));
app.get("/api/large", (c) => c.body(large, 200, { "content-type": "application/json" }));
app.get("/healthz", (c) => c.json({ status: "ok" }));
Bun.serve({ port, hostname: "127.0.0.1", fetch: app.fetch, idleTimeout: 30 });
console.log(JSON.stringify({ ready: port, small: small.length, large: large.length }));
