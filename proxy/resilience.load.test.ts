import { afterAll, expect, test } from "bun:test";
import { killAll, spawnUpstream, startTestProxy, testConfig } from "./testing/helpers.ts";

/**
 * The acceptance check "kill one of three app instances during a 20 s load
 * through the proxy: zero failed GETs". PROXY_KILL_TEST_SECONDS shortens it.
 */
afterAll(killAll);

const seconds = Number(process.env.PROXY_KILL_TEST_SECONDS ?? 20);

test(
  `killing one of three upstreams during ${seconds} s of load fails no GET`,
  async () => {
    const ups = await Promise.all(["a", "b", "c"].map((n) => spawnUpstream(n)));
    // Production-like health settings: the dead instance is found by passive ejection first.
    const p = await startTestProxy(testConfig(ups, { health: { intervalMs: 1000, rise: 2, fall: 2 } }));
    const base = `http://127.0.0.1:${p.port}`;
    let ok = 0;
    const failures: string[] = [];
    const byName: Record<string, number> = {};
    const end = Date.now() + seconds * 1000;
    const worker = async () => {
      while (Date.now() < end) {
        try {
          const r = await fetch(`${base}/api/who`);
          const body = (await r.json()) as { name?: string };
          if (r.status === 200 && body.name) {
            ok++;
            byName[body.name] = (byName[body.name] ?? 0) + 1;
          } else failures.push(`status ${r.status}`);
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const killer = (async () => {
      await Bun.sleep((seconds * 1000) / 3);
      await ups[1]!.kill(9);
    })();
    try {
      await Promise.all([...Array.from({ length: 32 }, worker), killer]);
      console.log(
        `kill test: ${ok} GETs ok, ${failures.length} failed, by upstream ${JSON.stringify(byName)}`,
      );
      expect(failures).toEqual([]);
      expect(ok).toBeGreaterThan(100);
      expect(byName.b ?? 0).toBeGreaterThan(0);
    } finally {
      await p.stop(1000);
      await Promise.all(ups.map((u) => u.kill()));
    }
  },
  (seconds + 40) * 1000,
);
