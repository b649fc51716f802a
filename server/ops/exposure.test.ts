import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { DependencyStatus } from "../core/deps.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { cachedReport } from "./health-cache.ts";

// bun applies the preload's default timeout to the first file of a run only; these tests
// hash passwords, start processes or fuzz, and take seconds on a loaded machine.
setDefaultTimeout(60_000);

// What the proxy adds to every request it forwards (proxy/engine.ts).
const viaProxy = { "X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9" };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // A dependency that counts its probes and fails with internal detail.
  t.deps.probes.push({
    name: "ledger",
    core: false,
    async check(): Promise<DependencyStatus> {
      return { status: "down", error: "connect ECONNREFUSED 10.0.3.7:5000 (user ledger_admin)" };
    },
  });
});
afterAll(() => t.close());

test("through the proxy /metrics does not exist; on the instance port it does", async () => {
  const pub = await t.request("/metrics", { headers: viaProxy });
  expect(pub.status).toBe(404);
  expect(await pub.text()).not.toContain("http_requests_total");
  expect((await t.request("/metrics", { headers: { Forwarded: "for=203.0.113.9" } })).status).toBe(404);
  const direct = await t.request("/metrics");
  expect(direct.status).toBe(200);
  expect(await direct.text()).toContain("http_requests_total");
});

test("through the proxy /health and /readyz show status only, no dependency detail", async () => {
  const res = await t.request("/health", { headers: viaProxy });
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(JSON.parse(text)).toEqual({ status: "degraded" });
  expect(text).not.toContain("ECONNREFUSED");
  expect(await (await t.request("/readyz", { headers: viaProxy })).json()).toEqual({ status: "ready" });
  // The instance's own port keeps the full report.
  const full = (await (await t.request("/health")).json()) as { checks: Record<string, DependencyStatus> };
  expect(full.checks.ledger!.error).toContain("ECONNREFUSED");
  expect(full.checks.database!.status).toBe("up");
});

test("/health runs the probes once for a burst of requests", async () => {
  const app = await createTestApp();
  let runs = 0;
  let release = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  app.deps.probes.push({
    name: "slow",
    core: false,
    async check(): Promise<DependencyStatus> {
      runs++;
      await gate;
      return { status: "up" };
    },
  });
  try {
    const burst = Array.from({ length: 50 }, () => app.request("/health", { headers: viaProxy }));
    const deadline = Date.now() + 10_000;
    while (runs === 0 && Date.now() < deadline) await Bun.sleep(5);
    release();
    const answers = await Promise.all(burst);
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(runs).toBe(1);
  } finally {
    await app.close();
  }
});

test("cached results are reused until they are older than the TTL", async () => {
  let clock = 0;
  let runs = 0;
  const get = cachedReport(
    async () => ++runs,
    1000,
    () => clock,
  );
  expect(await get()).toBe(1);
  clock = 999;
  expect(await get()).toBe(1);
  clock = 1000;
  expect(await get()).toBe(2);
});
