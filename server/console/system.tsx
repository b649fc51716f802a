import type { Context } from "hono";
import type { AppDeps } from "../core/deps.ts";
import { outboxBacklog } from "../core/outbox.ts";
import { assets } from "../storefront/layout.tsx";
import { renderPage } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { ConsoleNav } from "./nav.tsx";
import { proxyAdminBase, readTraffic, type TrafficCounters } from "./traffic.ts";

/** One upstream as the proxy's admin endpoint reports it. */
interface UpstreamStatus {
  id: string;
  healthy: boolean;
  ejected: boolean;
  active: number;
  ewmaMs: number;
}

/** What the system view shows (and `/admin/system.json` returns for the live charts). */
export interface SystemSnapshot {
  at: number;
  upstreams: UpstreamStatus[] | null;
  replicas: { name: string; status: string; lag_ms?: number }[];
  checks: { name: string; status: string; latency_ms?: number }[];
  backlog: number;
  /** Age of the oldest unpublished event, ms. */
  backlog_age_ms: number;
  /** Cumulative request, latency and cache counters (null when the proxy did not answer). */
  traffic: TrafficCounters | null;
}

/**
 * Reads the proxy's private admin endpoint server-side (it stays on loopback;
 * the browser only sees this page), the health probes and the outbox backlog.
 */
export async function systemSnapshot(deps: AppDeps): Promise<SystemSnapshot> {
  const admin = proxyAdminBase(deps.config);
  const upstreams = fetch(`${admin}/upstreams`, {
    signal: AbortSignal.timeout(1000),
  })
    .then((r) => (r.ok ? (r.json() as Promise<UpstreamStatus[]>) : null))
    .catch(() => null);
  const traffic = upstreams.then((ups) =>
    ups
      ? readTraffic(
          admin,
          ups.map((u) => u.id),
        )
      : null,
  );
  const checks = await Promise.all(
    deps.probes.map(async (p): Promise<SystemSnapshot["checks"][number]> => {
      const r = await p.check().catch(() => ({ status: "down" as const, latency_ms: undefined }));
      return {
        name: p.name,
        status: r.status,
        ...(r.latency_ms !== undefined ? { latency_ms: r.latency_ms } : {}),
      };
    }),
  );
  const replicas = deps.db.replicas.map((r) => ({
    name: r.name,
    status: r.status,
    ...(r.lagMs !== undefined && r.lagMs !== null ? { lag_ms: r.lagMs } : {}),
  }));
  const backlog = await outboxBacklog(deps.db.primary);
  return {
    at: Date.now(),
    upstreams: await upstreams,
    replicas,
    checks,
    backlog: backlog.unpublished,
    backlog_age_ms: backlog.oldest_age_ms,
    traffic: await traffic,
  };
}

/** `GET /admin/system`: instances, dependencies, backlog; the script adds charts that move. */
export function systemPage(deps: AppDeps) {
  return async (c: Context<PageEnv>) => {
    const s = await systemSnapshot(deps);
    return renderPage(
      c,
      { title: "Console · System", description: "System health.", noindex: true, script: assets.admin },
      <>
        <ConsoleNav current="system" />
        <h1>System</h1>
        <h2>App instances (as the proxy sees them)</h2>
        {s.upstreams ? (
          <table data-upstreams="">
            <caption class="sr-only">Instances</caption>
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Health</th>
                <th scope="col">In flight</th>
                <th scope="col">Latency (EWMA)</th>
              </tr>
            </thead>
            <tbody>
              {s.upstreams.map((u) => (
                <tr>
                  <td>{u.id}</td>
                  <td>{u.ejected ? "ejected" : u.healthy ? "healthy" : "unhealthy"}</td>
                  <td>{u.active}</td>
                  <td>{`${u.ewmaMs.toFixed(1)} ms`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>The proxy's admin endpoint did not answer.</p>
        )}
        <h2>Dependencies</h2>
        <ul>
          {s.checks.map((ch) => (
            <li>
              {ch.name}: {ch.status}
              {ch.latency_ms !== undefined ? ` (${ch.latency_ms} ms)` : ""}
            </li>
          ))}
          {s.replicas.map((r) => (
            <li>
              replica {r.name}: {r.status}, lag {r.lag_ms ?? "?"} ms
            </li>
          ))}
          <li>
            event backlog: <span data-backlog="">{s.backlog}</span> unpublished
            {s.backlog > 0 ? `, oldest ${Math.round(s.backlog_age_ms / 1000)} s` : ""}
          </li>
        </ul>
        <h2>Live</h2>
        <div class="charts">
          <figure>
            <figcaption>
              Requests per second (through the proxy): <output id="chart-rate-now">–</output>
            </figcaption>
            <div class="chart" id="chart-rate" />
          </figure>
          <figure>
            <figcaption>
              p99 latency (ms, through the proxy): <output id="chart-p99-now">–</output>
            </figcaption>
            <div class="chart" id="chart-p99" />
          </figure>
          <figure>
            <figcaption>
              Cache hit ratio (%, all app instances): <output id="chart-cache-now">–</output>
            </figcaption>
            <div class="chart" id="chart-cache" />
          </figure>
          <figure>
            <figcaption>Latency per instance (ms)</figcaption>
            <div class="chart" id="chart-latency" />
          </figure>
          <figure>
            <figcaption>In-flight requests per instance</figcaption>
            <div class="chart" id="chart-active" />
          </figure>
          <figure>
            <figcaption>Event backlog and replica lag (ms)</figcaption>
            <div class="chart" id="chart-backlog" />
          </figure>
        </div>
      </>,
    );
  };
}

/** `GET /admin/system.json`: the snapshot the charts poll. */
export function systemJson(deps: AppDeps) {
  return async (c: Context<PageEnv>) =>
    c.json(await systemSnapshot(deps), 200, { "cache-control": "no-store" });
}
