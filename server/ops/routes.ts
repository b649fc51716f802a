import { Hono } from "hono";
import { contentType } from "../../platform/metrics.ts";
import type { AppDeps, AppEnv, DependencyStatus } from "../core/deps.ts";

/** Full health report: each dependency with status and latency. */
async function healthReport(
  deps: AppDeps,
): Promise<{ httpStatus: 200 | 503; body: Record<string, unknown> }> {
  const results = await Promise.all(deps.probes.map(async (p) => [p, await p.check()] as const));
  const checks: Record<string, unknown> = {};
  let coreDown = false;
  let degraded = false;
  for (const [probe, status] of results) {
    checks[probe.name] = status;
    if (status.status === "down") {
      if (probe.core) coreDown = true;
      else degraded = true;
    }
  }
  const replicas = deps.db.replicas.map((r) => ({
    name: r.name,
    status: r.status,
    lag_ms: r.lagMs,
    latency_ms: r.latencyMs === null ? null : Math.round(r.latencyMs * 100) / 100,
    ...(r.lastError ? { error: r.lastError } : {}),
  }));
  checks.replicas = replicas;
  if (replicas.some((r) => r.status !== "up")) degraded = true;
  const status = coreDown ? "down" : degraded ? "degraded" : "ok";
  return { httpStatus: coreDown ? 503 : 200, body: { status, checks } };
}

/** `/healthz`, `/readyz`, `/health`, `/metrics`. */
export function opsRoutes(deps: AppDeps, isDraining: () => boolean): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    if (isDraining()) return c.json({ status: "draining" }, 503);
    const db = (await deps.probes.find((p) => p.name === "database")?.check()) as
      | DependencyStatus
      | undefined;
    const up = db?.status === "up";
    return c.json({ status: up ? "ready" : "not_ready", database: db }, up ? 200 : 503);
  });
  app.get("/health", async (c) => {
    const { httpStatus, body } = await healthReport(deps);
    c.header("Cache-Control", "no-store");
    return c.json(body, httpStatus);
  });
  app.get("/metrics", (c) => c.body(deps.metrics.render(), 200, { "Content-Type": contentType }));
  return app;
}
