import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { createTestDatabase, type TestDatabase } from "../db/testing.ts";
import { childEnv } from "./testing/child-env.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

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

/** The parent pid of a process, or null. */
function parentPid(pid: number): number | null {
  const m = /^PPid:\s+(\d+)/m.exec(Bun.spawnSync(["cat", `/proc/${pid}/status`]).stdout.toString());
  return m ? Number(m[1]) : null;
}

/** True when both instance ports are held by children of `shim` and answer /healthz. */
async function ownsBothPorts(shim: Subprocess, base: number): Promise<boolean> {
  for (const port of [base, base + 1]) {
    const pid = listenerPid(port);
    if (pid === null || parentPid(pid) !== shim.pid || !(await healthy(port))) return false;
  }
  return true;
}

/**
 * Starts the shim on two consecutive ports below the kernel's ephemeral range
 * (32768+), where outgoing connections of other tests cannot take them. A port
 * that another process takes between the check and the bind (a parallel run)
 * is noticed, because the listener is not our child, and retried on other ports.
 */
async function startOwnCluster(): Promise<{ shim: Subprocess; base: number }> {
  for (let attempt = 1; ; attempt++) {
    let base: number;
    do base = 10_000 + Math.floor(Math.random() * 1_000) * 10;
    while (listenerPid(base) !== null || listenerPid(base + 1) !== null);
    const shim = startCluster(base);
    try {
      await until(() => ownsBothPorts(shim, base), 30_000);
      return { shim, base };
    } catch (err) {
      shim.kill("SIGKILL");
      await shim.exited;
      if (attempt >= 3) throw err;
    }
  }
}

test("a killed instance is restarted; SIGTERM drains and exits cleanly", async () => {
  const { shim, base } = await startOwnCluster();
  const victim = listenerPid(base);
  expect(victim).not.toBeNull();
  process.kill(victim!, "SIGKILL");
  // Polled with a generous deadline (a hang guard, not a speed requirement).
  await until(async () => {
    const pid = listenerPid(base);
    return pid !== null && pid !== victim && (await healthy(base));
  }, 60_000);
  expect(parentPid(listenerPid(base)!)).toBe(shim.pid);
  expect(await healthy(base + 1)).toBe(true);

  shim.kill("SIGTERM");
  expect(await shim.exited).toBe(0);
  expect(listenerPid(base)).toBeNull();
  expect(listenerPid(base + 1)).toBeNull();
}, 120_000);

test("instances exit by themselves when the shim is SIGKILLed", async () => {
  const { shim, base } = await startOwnCluster();
  shim.kill("SIGKILL");
  await shim.exited;
  await until(() => listenerPid(base) === null && listenerPid(base + 1) === null, 60_000);
}, 120_000);
