import { proxyRuntimeEnv } from "../../../proxy/runtime-env.ts";
import { freePort, spawn, spawnUpstream, waitHttp } from "./processes.ts";
import type { KillResult } from "./report.ts";
import { wrk } from "./wrk.ts";

/**
 * Three upstreams behind our proxy, wrk (64 connections) for `seconds`, one
 * upstream SIGKILLed a third of the way in: every non-2xx or socket error is a failure.
 */
export async function killCheck(seconds: number): Promise<KillResult> {
  const ports = [freePort(), freePort(), freePort()];
  const ups = ports.map((p) => spawnUpstream(p));
  for (const p of ports) await waitHttp(`http://127.0.0.1:${p}/healthz`);
  const port = freePort();
  spawn(["taskset", "-c", "1", process.execPath, "proxy/main.ts"], {
    PROXY_PORT: String(port),
    PROXY_ADMIN_PORT: String(freePort()),
    PROXY_HOST: "127.0.0.1",
    PROXY_UPSTREAMS: ports.map((p) => `127.0.0.1:${p}`).join(","),
    PROXY_RATE_LIMIT: "off",
    PROXY_ACCESS_LOG: "off",
    PROXY_MAX_CONNS_PER_IP: "0",
    PROXY_WORKERS: "1",
    LOG_LEVEL: "error",
    ...proxyRuntimeEnv,
  });
  await waitHttp(`http://127.0.0.1:${port}/api/small`);
  const run = wrk(`http://127.0.0.1:${port}/api/small`, 64, seconds);
  await Bun.sleep((seconds * 1000) / 3);
  ups[1]!.kill(9);
  const r = await run;
  for (const u of ups) u.kill(9);
  console.log(
    `kill check: ${r.requests} GETs in ${seconds}s, one of three upstreams killed at ${(seconds / 3).toFixed(1)}s: ${r.errors} errors`,
  );
  return { seconds, killedAtS: seconds / 3, requests: r.requests, errors: r.errors, rps: r.rps };
}
