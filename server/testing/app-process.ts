import { join } from "node:path";
import type { Subprocess } from "bun";
import { childEnv } from "./child-env.ts";

/**
 * Test support for tests that need a real app process (signals, exits): one
 * `server/main.ts` instance on a port of its own, with a minimal, explicit
 * environment (nothing of the caller's shell leaks in) and the running Bun
 * binary (process.execPath, not whatever `bun` PATH finds).
 */
export interface AppProcess {
  proc: Subprocess;
  port: number;
  base: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGKILLs the process if it still runs. */
  kill(): Promise<void>;
}

const root = join(import.meta.dir, "..", "..");

/** The environment every spawned test process gets (childEnv, in test mode, quiet), plus `extra`. */
export function minimalEnv(extra: Record<string, string>): Record<string, string> {
  return childEnv({ NODE_ENV: "test", LOG_LEVEL: "error", ...extra });
}

/** A port that was free a moment ago (the caller retries when it is taken meanwhile). */
function likelyFreePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

/** The pid listening on a local TCP port (via `ss`), or null. */
export function listenerPid(port: number): number | null {
  const out = Bun.spawnSync(["ss", "-ltnpH", `sport = :${port}`]).stdout.toString();
  const m = /pid=(\d+)/.exec(out);
  return m ? Number(m[1]) : null;
}

async function answers(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/**
 * Starts an app instance (`entry`, by default server/main.ts) with `env`
 * (DATABASE_URL at least) and waits until it answers /healthz on its own port.
 * A port taken between choosing and binding it (the child exits, or another
 * process answers) is retried.
 */
export async function startAppProcess(
  env: Record<string, string>,
  entry = "server/main.ts",
  attempts = 3,
): Promise<AppProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = likelyFreePort();
    const proc = Bun.spawn([process.execPath, entry], {
      cwd: root,
      env: minimalEnv({ DATABASE_POOL_MAX: "4", ...env, PORT: String(port), APP_HOST: "127.0.0.1" }),
      stdout: "ignore",
      stderr: "pipe",
    });
    let err = "";
    void (async () => {
      for await (const chunk of proc.stderr as ReadableStream<Uint8Array>)
        err += new TextDecoder().decode(chunk);
    })();
    const app: AppProcess = {
      proc,
      port,
      base: `http://127.0.0.1:${port}`,
      stderr: () => err,
      async kill() {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
        await proc.exited;
      },
    };
    const deadline = Date.now() + 30_000;
    while (proc.exitCode === null && Date.now() < deadline) {
      if ((await answers(app.base)) && listenerPid(port) === proc.pid) return app;
      await Bun.sleep(50);
    }
    await app.kill();
    if (attempt >= attempts) throw new Error(`app process did not start on port ${port}: ${err.trim()}`);
  }
}
