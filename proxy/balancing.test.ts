import { afterAll, describe, expect, test } from "bun:test";
import {
  killAll,
  spawnUpstream,
  startTestProxy,
  type TestUpstream,
  testConfig,
  waitFor,
} from "./testing/helpers.ts";

/** Balancing algorithms against real upstream processes. */
afterAll(killAll);

const who = async (base: string, path = "/api/who"): Promise<string> => {
  const r = await fetch(`${base}${path}`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { name: string }).name;
};

describe("balancing", () => {
  test("round-robin spreads requests evenly (and by weight)", async () => {
    const ups: TestUpstream[] = await Promise.all(["a", "b", "c"].map((n) => spawnUpstream(n)));
    const p = await startTestProxy(testConfig(ups, { balancer: "round-robin" }));
    try {
      const base = `http://127.0.0.1:${p.port}`;
      const counts: Record<string, number> = {};
      for (let i = 0; i < 90; i++) {
        const n = await who(base);
        counts[n] = (counts[n] ?? 0) + 1;
      }
      expect(counts).toEqual({ a: 30, b: 30, c: 30 });

      const weighted = testConfig(ups, { balancer: "round-robin" });
      weighted.upstreams[0]!.weight = 2;
      p.reload(weighted);
      const wc: Record<string, number> = {};
      for (let i = 0; i < 80; i++) {
        const n = await who(base);
        wc[n] = (wc[n] ?? 0) + 1;
      }
      expect(wc).toEqual({ a: 40, b: 20, c: 20 });
    } finally {
      await p.stop(1000);
      await Promise.all(ups.map((u) => u.kill()));
    }
  });

  test("least-connections prefers the idle upstream while the other is held busy", async () => {
    const ups = await Promise.all(["a", "b"].map((n) => spawnUpstream(n)));
    const p = await startTestProxy(testConfig(ups, { balancer: "least-connections" }));
    try {
      const base = `http://127.0.0.1:${p.port}`;
      const slow = fetch(`${base}/api/slow?ms=2500`).then((r) => r.json() as Promise<{ name: string }>);
      await waitFor(() => p.core.upstreams.some((u) => u.active === 1));
      const busy = p.core.upstreams.find((u) => u.active === 1)!;
      const names = new Set<string>();
      for (let i = 0; i < 20; i++) names.add(await who(base));
      const held = (await slow).name;
      expect(busy.id.endsWith(String(ups.find((u) => u.name === held)!.port))).toBe(true);
      expect([...names]).toEqual([held === "a" ? "b" : "a"]);
    } finally {
      await p.stop(1000);
      await Promise.all(ups.map((u) => u.kill()));
    }
  });

  test("p2c-ewma shifts load away from a slowed upstream", async () => {
    const ups = await Promise.all(["fast", "slow"].map((n) => spawnUpstream(n)));
    const p = await startTestProxy(testConfig(ups, { balancer: "p2c-ewma" }));
    try {
      const base = `http://127.0.0.1:${p.port}`;
      await fetch(`http://127.0.0.1:${ups[1]!.port}/api/set-delay?ms=150`);
      const counts: Record<string, number> = { fast: 0, slow: 0 };
      // 4 concurrent clients, 200 requests in all.
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 50; i++) counts[await who(base)]!++;
        }),
      );
      // Even split would be 100/100; peak-EWMA should leave the slow one a small share.
      expect(counts.slow!).toBeLessThan(40);
      expect(counts.fast! + counts.slow!).toBe(200);
    } finally {
      await p.stop(1000);
      await Promise.all(ups.map((u) => u.kill()));
    }
  });
});
