/**
 * The benchmark's upstream app: `bun scripts/load/proxy-bench/upstream.ts <port>`.
 * A Hono-on-Bun server with `/api/small` (~200 B JSON) and `/api/large`
 * (~20 KB JSON), started twice by the benchmark (three times by the kill check).
 */
import { Hono } from "hono";

const port = Number(process.argv[2]);
const small = JSON.stringify({
  id: 1042,
  sku: "TSHIRT-BLK-M",
  name: "T-shirt, black, M",
  price: { amount: 1999, currency: "EUR" },
  stock: 17,
  tags: ["apparel", "cotton"],
  updatedAt: "2026-01-01T00:00:00Z",
});
const items = [];
for (let i = 0; items.length === 0 || JSON.stringify(items).length < 20_000; i++)
  items.push({
    id: i,
    sku: `SKU-${i}`,
    name: `Product number ${i}`,
    price: { amount: 999 + i, currency: "EUR" },
    stock: i % 50,
  });
const large = JSON.stringify({ items, total: items.length });
const app = new Hono();
app.get("/api/small", (c) => c.body(small, 200, { "content-type": "application/json" }));
app.get("/api/large", (c) => c.body(large, 200, { "content-type": "application/json" }));
app.get("/healthz", (c) => c.json({ status: "ok" }));
Bun.serve({ port, hostname: "127.0.0.1", fetch: app.fetch, idleTimeout: 30 });
console.log(JSON.stringify({ ready: port, small: small.length, large: large.length }));
