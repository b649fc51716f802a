import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestApp, type TestApp } from "../testing/harness.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ redis: true });
});
afterAll(async () => {
  await t.close();
});

test("/healthz is 200 while the process runs", async () => {
  const res = await t.request("/healthz");
  expect(res.status).toBe(200);
});

test("/readyz is 200 when the database answers", async () => {
  const res = await t.request("/readyz");
  expect(res.status).toBe(200);
  expect(((await res.json()) as { status: string }).status).toBe("ready");
});

test("/health reports each dependency", async () => {
  const res = await t.request("/health");
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    status: string;
    checks: Record<string, { status: string; engine?: string }>;
  };
  expect(body.checks.database!.status).toBe("up");
  // Redis when one answers (always in CI), else the in-process stand-in.
  expect(body.checks.redis!.status).toBe(t.deps.redis ? "up" : "disabled");
  expect(body.checks.queue!.status).toBe("disabled");
  expect(body.checks.search).toEqual({ status: "up", engine: "postgres" });
  expect(Array.isArray(body.checks.replicas)).toBe(true);
  expect(body.status).toBe("ok");
});

test("/metrics is Prometheus text with request counts by route and status", async () => {
  await t.request("/healthz");
  const res = await t.request("/metrics");
  expect(res.headers.get("content-type")).toContain("text/plain");
  const text = await res.text();
  expect(text).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  expect(text).toContain("# TYPE http_request_duration_seconds histogram");
});

test("request ids are kept when well-formed and made when absent", async () => {
  const kept = await t.request("/healthz", { headers: { "X-Request-Id": "abc-123" } });
  expect(kept.headers.get("x-request-id")).toBe("abc-123");
  const made = await t.request("/healthz", { headers: { "X-Request-Id": "bad id with spaces" } });
  expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
});

test("unknown routes are 404 problem documents", async () => {
  const res = await t.request("/api/nope");
  expect(res.status).toBe(404);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as { status: number; title: string; type: string };
  expect(body.status).toBe(404);
  expect(body.type).toContain("not-found");
});

test("/readyz and /health are 503 when the database is down", async () => {
  const down = await createTestApp();
  await down.deps.db.close(0);
  try {
    expect((await down.request("/readyz")).status).toBe(503);
    const res = await down.request("/health");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { status: string }).status).toBe("down");
  } finally {
    await down.close().catch(() => {});
  }
});
