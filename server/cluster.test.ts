import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { createTestDatabase, type TestDatabase } from "../db/testing.ts";
import { childEnv } from "./testing/child-env.ts";

let database: TestDatabase;
const started: Subprocess[] = [];

beforeAll(async () => {
  database = await createTestDatabase("cluster");
});
afterAll(async () => {
  for (const p of started) p.kill("SIGKILL");
  await database.drop();
});

/** The pid listening on a TCP port (via `ss`), or null. */
function listenerPid(port: number): number | null {
  const out = Bun.spawnSync(["ss", "-ltnpH", `sport = :${port}`]).stdout.toString();
  const m = /pid=(\d+)/.exec(out);
  return m ? Number(m[1]) : null;
}

async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

async function until(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(100);
  }
}

function startCluster(base: number): Subprocess {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "cluster.ts")], {
    env: childEnv({
      NODE_ENV: "test",
      APP_INSTANCES: "2",
      APP_PORT_BASE: String(base),
      DATABASE_URL: database.url,
      LOG_LEVEL: "error",
    }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  started.push(proc);
  return proc;
}

/**
 * Two consecutive free ports below the kernel's ephemeral range (32768+),
 * where outgoing connections of other tests cannot take them meanwhile.
 */
function freeBase(): number {
  for (;;) {
    const base = 10_000 + Math.floor(Math.random() * 1_000) * 10;
    if (listenerPid(base) === null && listenerPid(base + 1) === null) return base;
  }
}

test("a killed instance is restarted within seconds; SIGTERM drains and exits cleanly", async () => {
  const base = freeBase();
  const shim = startCluster(base);
  await until(async () => (await healthy(base)) && (await healthy(base + 1)));
  const victim = listenerPid(base);
  expect(victim).not.toBeNull();
  const killedAt = Date.now();
  process.kill(victim!, "SIGKILL");
  await until(async () => {
    const pid = listenerPid(base);
    return pid !== null && pid !== victim && (await healthy(base));
  }, 10_000);
  expect(Date.now() - killedAt).toBeLessThan(10_000);
  expect(await healthy(base + 1)).toBe(true);

  shim.kill("SIGTERM");
  expect(await shim.exited).toBe(0);
  expect(listenerPid(base)).toBeNull();
  expect(listenerPid(base + 1)).toBeNull();
}, 60_000);

test("instances exit by themselves when the shim is SIGKILLed", async () => {
  const base = freeBase();
  const shim = startCluster(base);
  await until(async () => (await healthy(base)) && (await healthy(base + 1)));
  shim.kill("SIGKILL");
  await shim.exited;
  await until(() => listenerPid(base) === null && listenerPid(base + 1) === null, 10_000);
}, 60_000);
