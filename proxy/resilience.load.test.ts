import { afterAll, expect, test } from "bun:test";
import { killAll, spawnUpstream, startTestProxy, testConfig } from "./testing/helpers.ts";

/**
 * The acceptance check "kill one of three app instances under load through the
 * proxy: zero failed GETs", counted in requests rather than seconds so that a
 * slow machine changes how long it takes, not what it checks: 32 clients send
 * PROXY_KILL_TEST_REQUESTS GETs (3000) and one upstream is SIGKILLed once a
 * third of them have been answered. The timed version (20 s of wrk) is the
 * benchmark's kill check, `scripts/load/proxy.ts`.
 */
afterAll(killAll);

const total = Number(process.env.PROXY_KILL_TEST_REQUESTS ?? 3000);

test(`killing one of three upstreams during ${total} GETs from 32 clients fails none`, async () => {
  const ups = await Promise.all(["a", "b", "c"].map((n) => spawnUpstream(n)));
  // Production-like health settings: the dead instance is found by passive ejection first.
  const p = await startTestProxy(testConfig(ups, { health: { intervalMs: 1000, rise: 2, fall: 2 } }));
  const base = `http://127.0.0.1:${p.port}`;
  let sent = 0;
  let ok = 0;
  const failures: string[] = [];
  const byName: Record<string, number> = {};
  let killed: Promise<void> | null = null;
  const worker = async () => {
    while (sent < total) {
      sent++;
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
      if (!killed && ok >= total / 3) killed = ups[1]!.kill(9);
    }
  };
  try {
    await Promise.all(Array.from({ length: 32 }, worker));
    await killed;
    console.log(`kill test: ${ok} GETs ok, ${failures.length} failed, by upstream ${JSON.stringify(byName)}`);
    expect(killed).not.toBeNull();
    expect(failures).toEqual([]);
    expect(ok).toBe(total);
    // b served its share before it died, and the other two took the rest.
    expect(byName.b ?? 0).toBeGreaterThan(0);
    expect((byName.a ?? 0) + (byName.c ?? 0)).toBeGreaterThan((2 * total) / 3);
  } finally {
    await p.stop(1000);
    await Promise.all(ups.map((u) => u.kill()));
  }
}, 120_000);
