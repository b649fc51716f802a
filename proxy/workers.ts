import { join } from "node:path";
import { handleShutdown } from "../platform/lifecycle.ts";
import type { Logger } from "../platform/logger.ts";
import { contentType } from "../platform/metrics.ts";
import { Supervisor } from "../platform/supervisor.ts";
import type { ProxyConfig } from "./config.ts";
import { sumExpositions } from "./metrics-sum.ts";

/**
 * `PROXY_WORKERS` > 1: this process is the supervisor. It starts the workers
 * (`bun proxy/main.ts` with `SUPERVISED_PROXY_WORKER`), each binding the public ports
 * with `reusePort` (the kernel spreads new connections over them) and running
 * its own upstream pool, health checks and in-process state; rate limits are
 * shared through Redis. A worker that dies is started again (the platform
 * supervisor's backoff). The supervisor owns the admin port: `/metrics` is
 * the sum of the workers' metrics, `/workers` lists them, `/upstreams` is
 * worker 0's view; SIGHUP is passed to every worker (each re-reads the
 * configuration), SIGTERM drains them all.
 */

/** What a worker reports once it listens (over the IPC channel). */
export interface WorkerReady {
  type: "proxy-worker-ready";
  worker: number;
  pid: number;
  adminPort: number;
}

/** Type guard for a worker's ready message. */
export function isWorkerReady(m: unknown): m is WorkerReady {
  const r = m as Partial<WorkerReady> | null;
  return r?.type === "proxy-worker-ready" && typeof r.adminPort === "number" && typeof r.worker === "number";
}

/** A worker as the admin endpoints show it. */
interface WorkerState {
  worker: number;
  pid: number | null;
  adminPort: number | null;
  restarts: number;
}

/** GETs a worker's admin path (1 s budget); null when it does not answer. */
async function askWorker(adminPort: number, path: string): Promise<Response | null> {
  try {
    const r = await fetch(`http://127.0.0.1:${adminPort}${path}`, { signal: AbortSignal.timeout(1000) });
    return r.ok ? r : null;
  } catch {
    return null;
  }
}

/** Runs the supervisor until SIGTERM/SIGINT. */
export function runWorkers(cfg: ProxyConfig, logger: Logger): void {
  const supervisor = new Supervisor(logger);
  const ready = new Map<number, WorkerReady>();
  const name = (i: number) => `proxy-worker-${i}`;
  for (let i = 0; i < cfg.workers; i++)
    supervisor.start({
      name: name(i),
      cmd: [process.execPath, join(import.meta.dir, "main.ts")],
      env: { SUPERVISED_PROXY_WORKER: String(i) },
      onMessage: (m) => {
        if (isWorkerReady(m)) ready.set(m.worker, m);
      },
    });

  /** Workers whose ready message names the pid now running (a restarted one counts once it reports again). */
  const workers = (): WorkerState[] => {
    const pids = supervisor.pids();
    const restarts = supervisor.restarts();
    return Array.from({ length: cfg.workers }, (_, i) => {
      const pid = pids[name(i)] ?? null;
      const r = ready.get(i);
      return {
        worker: i,
        pid,
        adminPort: r && r.pid === pid ? r.adminPort : null,
        restarts: restarts[name(i)] ?? 0,
      };
    });
  };
  const live = () => workers().filter((w): w is WorkerState & { adminPort: number } => w.adminPort !== null);

  const admin = Bun.serve({
    hostname: cfg.adminHost,
    port: cfg.adminPort,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/metrics")
        return new Response(await summedMetrics(), { headers: { "content-type": contentType } });
      if (path === "/workers") return Response.json(workers());
      if (path === "/upstreams") {
        const first = live()[0];
        const r = first ? await askWorker(first.adminPort, "/upstreams") : null;
        return r
          ? new Response(r.body, { headers: { "content-type": "application/json" } })
          : Response.json([]);
      }
      if (path === "/healthz") {
        const up = live().length;
        return Response.json(
          { status: up > 0 ? "ok" : "starting", workers: up },
          { status: up > 0 ? 200 : 503 },
        );
      }
      return new Response("not found", { status: 404 });
    },
  });

  async function summedMetrics(): Promise<string> {
    const states = workers();
    const texts = await Promise.all(
      states.map(async (w) =>
        w.adminPort === null ? "" : ((await askWorker(w.adminPort, "/metrics"))?.text() ?? ""),
      ),
    );
    const own = [
      "# HELP proxy_workers Worker processes configured (PROXY_WORKERS)",
      "# TYPE proxy_workers gauge",
      `proxy_workers ${cfg.workers}`,
      "# HELP proxy_workers_up Workers answering their admin port",
      "# TYPE proxy_workers_up gauge",
      `proxy_workers_up ${texts.filter(Boolean).length}`,
      "# HELP proxy_worker_restarts_total Workers started again after they exited",
      "# TYPE proxy_worker_restarts_total counter",
      `proxy_worker_restarts_total ${states.reduce((a, w) => a + w.restarts, 0)}`,
      "",
    ].join("\n");
    return sumExpositions([...texts, own]);
  }

  logger.info("proxy supervisor started", {
    workers: cfg.workers,
    port: cfg.port,
    tlsPort: cfg.tls.certFile ? cfg.tlsPort : null,
    adminPort: admin.port,
  });
  process.on("SIGHUP", () => {
    logger.info("SIGHUP: reloading every worker");
    supervisor.signal("SIGHUP");
  });
  handleShutdown(
    async () => {
      await supervisor.stop(cfg.shutdownTimeoutMs + 2000);
      await admin.stop(true);
    },
    logger,
    cfg.shutdownTimeoutMs + 5000,
  );
}
