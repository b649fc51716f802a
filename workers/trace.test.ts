import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import amqp from "amqplib";
import type { Subprocess } from "bun";
import { createTestDatabase, type TestDatabase, testAmqpUrl } from "../db/testing.ts";
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from "../platform/testing/otlp-receiver.ts";
import { until } from "../platform/testing/until.ts";
import { type AppProcess, minimalEnv, startAppProcess } from "../server/testing/app-process.ts";
import { checkoutBody, createSkus, createUsers } from "../server/testing/fixtures.ts";

// Four processes and real services: more than bun's 5 s default.
setDefaultTimeout(120_000);

/**
 * Issue 15's acceptance: an order placed through the real proxy process, an
 * app instance, the workers' relay and a consumer on RabbitMQ, every process
 * exporting OTLP/HTTP JSON to a receiver of the test's own, makes ONE trace:
 * proxy span → app route span → … → outbox.write → relay publish → consume,
 * each linked to its parent by parentSpanId.
 */
const amqpUrl = await testAmqpUrl();
const root = join(import.meta.dir, "..");
const prefix = `test-trace-${crypto.randomUUID().slice(0, 8)}`;
let rx: OtlpReceiver;
let tdb: TestDatabase;
let app: AppProcess;
const procs: Subprocess[] = [];

function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

function spawn(entry: string, env: Record<string, string>): Subprocess {
  const proc = Bun.spawn([process.execPath, entry], {
    cwd: root,
    env: minimalEnv(env),
    stdout: "ignore",
    stderr: "inherit",
  });
  procs.push(proc);
  return proc;
}

const otel = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });

beforeAll(async () => {
  if (!amqpUrl) return;
  rx = startOtlpReceiver();
  tdb = await createTestDatabase("trace");
  app = await startAppProcess({ DATABASE_URL: tdb.url, ...otel() });
});

afterAll(async () => {
  if (!amqpUrl) return;
  for (const p of procs) p.kill("SIGTERM");
  await Promise.all(procs.map((p) => p.exited));
  await app?.kill();
  await tdb?.drop();
  await rx?.stop();
  const conn = await amqp.connect(amqpUrl);
  const ch = await conn.createChannel();
  for (const name of ["cache-invalidation", "email", "webhooks", "search-indexer"])
    await ch.deleteQueue(`${prefix}.${name}`).catch(() => {});
  await ch.deleteExchange(`${prefix}.events`).catch(() => {});
  await conn.close().catch(() => {});
});

/** The span's ancestors, nearest first, within the received spans. */
function ancestors(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  let cur: ReceivedSpan | undefined = span;
  while (cur?.parentSpanId) {
    const parentId: string = cur.parentSpanId;
    cur = spans.find((s) => s.spanId === parentId && s.traceId === span.traceId);
    if (cur) out.push(cur);
  }
  return out;
}

describe.skipIf(!amqpUrl)("one trace from the proxy to the worker", () => {
  test("an order through proxy, app, relay and a consumer is one trace with correct parent links", async () => {
    const proxyPort = freePort();
    const adminPort = freePort();
    spawn("proxy/main.ts", {
      PROXY_PORT: String(proxyPort),
      PROXY_ADMIN_PORT: String(adminPort),
      PROXY_HOST: "127.0.0.1",
      PROXY_UPSTREAMS: `127.0.0.1:${app.port}`,
      PROXY_RATE_LIMIT: "off",
      ...otel(),
    });
    spawn("workers/main.ts", {
      DATABASE_URL: tdb.url,
      AMQP_URL: amqpUrl!,
      AMQP_PREFIX: prefix,
      WORKERS_HEALTH_PORT: "0",
      DATABASE_POOL_MAX: "4",
      ...otel(),
    });
    await until(async () => {
      try {
        return (await fetch(`http://127.0.0.1:${adminPort}/healthz`)).ok;
      } catch {
        return false;
      }
    }, "the proxy to listen");

    const sku = `TRACE-${crypto.randomUUID().slice(0, 6)}`;
    await createSkus(tdb.sql, [{ sku, price: 1999, stock: 5 }]);
    const [user] = await createUsers(tdb.sql, 1);
    const base = `http://127.0.0.1:${proxyPort}`;
    const auth = { authorization: `Bearer ${user!.token}`, "content-type": "application/json" };
    const added = await fetch(`${base}/api/cart/items`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ sku, quantity: 1 }),
    });
    expect([200, 201]).toContain(added.status);
    const placed = await fetch(`${base}/api/checkout`, {
      method: "POST",
      headers: { ...auth, "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify(checkoutBody()),
    });
    expect(placed.status).toBe(201);

    // The checkout's trace, found by its app route span; then wait for the workers' part of it.
    let checkout: ReceivedSpan | undefined;
    await until(() => {
      checkout = rx.spans.find((s) => s.service === "app" && s.name === "POST /api/checkout");
      return checkout !== undefined;
    }, "the app's checkout span");
    const traceId = checkout!.traceId;
    const inTrace = () => rx.spans.filter((s) => s.traceId === traceId);
    // Each process exports on its own schedule (batches every second), and a child often ends,
    // and so is sent, before its parent: wait until the proxy's and the email consumer's spans are
    // in and every received span's parent is too.
    const complete = () => {
      const sp = inTrace();
      return (
        sp.some((s) => s.service === "proxy") &&
        sp.some((s) => s.service === "workers" && s.name === "consume email") &&
        sp.every((s) => s.parentSpanId === "" || sp.some((p) => p.spanId === s.parentSpanId))
      );
    };
    await until(complete, "the checkout's trace from the proxy to the email consumer, every parent received");
    const spans = inTrace();

    // Proxy: the root (the client sent no trace context); the app's route span is its child.
    const proxy = spans.find((s) => s.service === "proxy")!;
    expect(proxy).toBeDefined();
    expect(proxy.parentSpanId).toBe("");
    expect(checkout!.parentSpanId).toBe(proxy.spanId);

    // Inside the app: named statements and the outbox writes under the route span.
    const writeSpans = spans.filter((s) => s.service === "app" && s.name === "outbox.write");
    expect(writeSpans.length).toBeGreaterThan(0);
    for (const w of writeSpans) expect(ancestors(w, spans)).toContain(checkout!);
    // Statements are named by the query helper that wrote them, never by their SQL.
    const insertOrder = spans.find((s) => s.service === "app" && s.name === "orders.insertOrder")!;
    expect(insertOrder.parentSpanId).toBe(checkout!.spanId);
    for (const w of writeSpans)
      expect(spans.some((s) => s.name === "core.insertOutboxRow" && s.parentSpanId === w.spanId)).toBe(true);
    expect(spans.filter((s) => /\b(select|insert|update)\b/i.test(s.name))).toEqual([]);

    // Relay: a publish span per event (order.placed, order.paid), child of the outbox write that recorded it.
    const writes = writeSpans.map((s) => s.spanId);
    const publishes = spans.filter((s) => s.service === "workers" && s.name.startsWith("publish "));
    for (const p of publishes) expect(writes).toContain(p.parentSpanId);
    const placedPublish = publishes.find((s) => s.name === "publish order.placed")!;
    expect(writes).toContain(placedPublish.parentSpanId);

    // Consumers: each delivery is a child of a publish span, through the RabbitMQ message headers.
    const consumers = spans.filter((s) => s.service === "workers" && s.name.startsWith("consume "));
    for (const c of consumers) expect(publishes.map((p) => p.spanId)).toContain(c.parentSpanId);
    const email = consumers.find(
      (c) => c.name === "consume email" && c.parentSpanId === placedPublish.spanId,
    );
    expect(email).toBeDefined();
    expect(spans.some((s) => s.name === "email.send" && s.parentSpanId === email!.spanId)).toBe(true);

    // Every span of the trace leads back to the proxy's.
    for (const s of spans) if (s !== proxy) expect(ancestors(s, spans).at(-1)).toBe(proxy);
  });
});
