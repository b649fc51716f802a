import { afterAll, describe, expect, test } from "bun:test";
import {
  killAll,
  spawnUpstream,
  startTestProxy,
  type TestUpstream,
  testConfig,
  waitFor,
} from "./testing/helpers.ts";

/** Forwarding under failures (health, ejection, retries, timeouts), against real upstream processes; protocol details are in protocol.test.ts. */
afterAll(killAll);

const hits = async (u: TestUpstream) =>
  (await (await fetch(`http://127.0.0.1:${u.port}/api/hits`)).json()) as { hits: number; slowSeen: number };

describe("failures", () => {
  test("ejection on failed health checks and recovery when they pass again", async () => {
    const ups = await Promise.all(["a", "b"].map((n) => spawnUpstream(n)));
    const p = await startTestProxy(testConfig(ups));
    try {
      const base = `http://127.0.0.1:${p.port}`;
      await fetch(`http://127.0.0.1:${ups[0]!.port}/api/health-toggle?ok=0`);
      await waitFor(() => !p.core.upstreams[0]!.healthy);
      for (let i = 0; i < 10; i++)
        expect(((await (await fetch(`${base}/api/who`)).json()) as { name: string }).name).toBe("b");
      await fetch(`http://127.0.0.1:${ups[0]!.port}/api/health-toggle?ok=1`);
      await waitFor(() => p.core.upstreams[0]!.healthy);
      const names = new Set<string>();
      for (let i = 0; i < 10; i++)
        names.add(((await (await fetch(`${base}/api/who`)).json()) as { name: string }).name);
      expect(names).toEqual(new Set(["a", "b"]));
    } finally {
      await p.stop(1000);
      await Promise.all(ups.map((u) => u.kill()));
    }
  });

  test("passive ejection of a dead upstream with backoff, and its return", async () => {
    const ups = await Promise.all(["a", "b"].map((n) => spawnUpstream(n)));
    // Active checks off: this is about passive ejection alone.
    const p = await startTestProxy(testConfig(ups, { health: { enabled: false } }));
    try {
      const base = `http://127.0.0.1:${p.port}`;
      const port = ups[0]!.port;
      await ups[0]!.kill();
      for (let i = 0; i < 10; i++) expect((await fetch(`${base}/api/who`)).status).toBe(200);
      const a = p.core.upstreams[0]!;
      expect(a.ejectedUntil).toBeGreaterThan(Date.now() - 1000);
      const revived = await spawnUpstream("a2", port);
      await waitFor(
        async () => ((await (await fetch(`${base}/api/who`)).json()) as { name: string }).name === "a2",
      );
      await revived.kill();
    } finally {
      await p.stop(1000);
      await Promise.all(ups.map((u) => u.kill()));
    }
  });

  test("a GET is retried on another upstream when its upstream dies before answering", async () => {
    const ups = await Promise.all(["a", "b"].map((n) => spawnUpstream(n)));
    const p = await startTestProxy(testConfig(ups, { health: { enabled: false } }));
    try {
      const res = fetch(`http://127.0.0.1:${p.port}/api/slow?ms=1500`);
      let victim: TestUpstream | undefined;
      await waitFor(async () => {
        for (const u of ups) if ((await hits(u)).slowSeen > 0) victim = u;
        return victim !== undefined;
      });
      await victim!.kill();
      const r = await res;
      expect(r.status).toBe(200);
      const body = (await r.json()) as { name: string };
      expect(body.name).not.toBe(victim!.name);
      expect(p.core.metrics.retries.get({ upstream: p.core.upstreams[ups.indexOf(victim!)]!.id })).toBe(1);
    } finally {
      await p.stop(1000);
      await Promise.all(ups.map((u) => u.kill()));
    }
  });

  test("a POST that may have been processed is not retried", async () => {
    const ups = await Promise.all(["a", "b"].map((n) => spawnUpstream(n)));
    const p = await startTestProxy(testConfig(ups, { health: { enabled: false } }));
    try {
      const res = fetch(`http://127.0.0.1:${p.port}/api/slow?ms=1500`, { method: "POST", body: "order=1" });
      let victim: TestUpstream | undefined;
      await waitFor(async () => {
        for (const u of ups) if ((await hits(u)).slowSeen > 0) victim = u;
        return victim !== undefined;
      });
      const other = ups.find((u) => u !== victim)!;
      await victim!.kill();
      const r = await res;
      expect(r.status).toBe(502);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      expect(((await r.json()) as { status: number }).status).toBe(502);
      expect((await hits(other)).slowSeen).toBe(0);
    } finally {
      await p.stop(1000);
      await Promise.all(ups.map((u) => u.kill()));
    }
  });

  test("a POST whose upstream refused the connection is retried elsewhere", async () => {
    const ups = await Promise.all(["a", "b"].map((n) => spawnUpstream(n)));
    const p = await startTestProxy(testConfig(ups, { health: { enabled: false } }));
    try {
      await ups[0]!.kill();
      for (let i = 0; i < 4; i++) {
        const r = await fetch(`http://127.0.0.1:${p.port}/api/echo`, {
          method: "POST",
          body: "x".repeat(10),
        });
        expect(r.status).toBe(200);
        expect(((await r.json()) as { name: string }).name).toBe("b");
      }
    } finally {
      await p.stop(1000);
      await Promise.all(ups.map((u) => u.kill()));
    }
  });

  test("504 when the upstream is too slow, 502 quickly when every upstream is down", async () => {
    const ups = await Promise.all(["a", "b"].map((n) => spawnUpstream(n)));
    const p = await startTestProxy(testConfig(ups, { timeouts: { responseMs: 400 } }));
    try {
      const base = `http://127.0.0.1:${p.port}`;
      const r = await fetch(`${base}/api/slow?ms=5000`);
      expect(r.status).toBe(504);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      expect(((await r.json()) as { title: string }).title).toBe("Gateway Timeout");
      await Promise.all(ups.map((u) => u.kill()));
      const t0 = Date.now();
      const down = await fetch(`${base}/api/who`);
      expect(down.status).toBe(502);
      expect(((await down.json()) as { status: number }).status).toBe(502);
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await p.stop(1000);
      await Promise.all(ups.map((u) => u.kill()));
    }
  });
});
