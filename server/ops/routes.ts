import { Hono } from "hono";
import { contentType } from "../../platform/metrics.ts";
import { problemBody } from "../../platform/problem.ts";
import type { AppDeps, AppEnv, DependencyStatus } from "../core/deps.ts";
import { cameThroughProxy } from "./exposure.ts";
import { cachedReport } from "./health-cache.ts";

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
    if (status.status === "lagging") degraded = true;
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

/** How long probe results are reused (`/health`, `/readyz`). */
export const PROBE_CACHE_MS = 1000;

/**
 * `/healthz`, `/readyz`, `/health`, `/metrics`. Through the proxy (public)
 * `/health` and `/readyz` show status only and `/metrics` does not exist;
 * on an instance's own port they show everything (see exposure.ts).
 */
export function opsRoutes(deps: AppDeps, isDraining: () => boolean): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const report = cachedReport(() => healthReport(deps), PROBE_CACHE_MS);
  const databaseProbe = deps.probes.find((p) => p.name === "database");
  const database = cachedReport(
    async (): Promise<DependencyStatus | undefined> => databaseProbe?.check(),
    PROBE_CACHE_MS,
  );
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    if (isDraining()) return c.json({ status: "draining" }, 503);
    const db = await database();
    const up = db?.status === "up";
    const status = up ? "ready" : "not_ready";
    return c.json(cameThroughProxy(c) ? { status } : { status, database: db }, up ? 200 : 503);
  });
  app.get("/health", async (c) => {
    const { httpStatus, body } = await report();
    c.header("Cache-Control", "no-store");
    return c.json(cameThroughProxy(c) ? { status: body.status } : body, httpStatus);
  });
  app.get("/metrics", (c) => {
    if (cameThroughProxy(c))
      return c.json(problemBody(404, "not-found", `No route for ${c.req.method} ${c.req.path}.`), 404, {
        "Content-Type": "application/problem+json",
      });
    return c.body(deps.metrics.render(), 200, { "Content-Type": contentType });
  });
  return app;
}
