import { afterAll, describe, expect, test } from "bun:test";
import { loadProxyConfig } from "./config.ts";
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
  test("PROXY_EJECT_5XX consecutive 5xx eject an upstream; the others take its traffic", async () => {
    const [a, b] = await Promise.all(["a", "b"].map((n) => spawnUpstream(n)));
    // The threshold comes from the variable; the ejection lasts a minute, longer than the test.
    const { ejection } = loadProxyConfig({ PROXY_EJECT_5XX: "3", PROXY_UPSTREAMS: "127.0.0.1:1" });
    expect(ejection.consecutive5xx).toBe(3);
    const p = await startTestProxy(
      testConfig([a!, b!], {
        balancer: "round-robin",
        ejection: { ...ejection, baseMs: 60_000, maxMs: 60_000 },
      }),
    );
    try {
      const base = `http://127.0.0.1:${p.port}`;
      await (await fetch(`http://127.0.0.1:${a!.port}/api/set-status?code=500`)).arrayBuffer();
      const answers: string[] = [];
      for (let i = 0; i < 14; i++) {
        const r = await fetch(`${base}/api/who`);
        answers.push(r.status === 200 ? ((await r.json()) as { name: string }).name : String(r.status));
      }
      // Round-robin alternates until a's third 500 in a row; from then on only b answers.
      expect(answers.filter((x) => x === "500")).toHaveLength(3);
      expect(answers.slice(6)).toEqual(Array(8).fill("b"));
      const a1 = p.core.status().find((u) => u.id === `127.0.0.1:${a!.port}`)!;
      expect(a1.ejected).toBe(true);
      expect(a1.healthy).toBe(true); // its health checks pass: this is passive ejection
    } finally {
      await p.stop(1000);
      await a!.kill();
      await b!.kill();
    }
  });
});
