import {
  type Check,
  checkInvariants,
  emailsWritten,
  ORDER_EVENTS,
  pendingEffects,
  repeatsSoFar,
} from "./invariants.ts";
import { type LoadFixture, runLoad, type Sample } from "./load.ts";
import type { FaultWindow, HealthBody, Scenario, ScenarioContext } from "./scenarios.ts";

/** What one scenario did and whether it kept every promise. */
export interface ScenarioResult {
  name: string;
  pass: boolean;
  requests: number;
  /** Failed requests the documented behaviour allows, and the others by status (0 = no response). */
  allowedErrors: number;
  unexpectedErrors: Record<string, number>;
  /** When the first unexpected errors happened, relative to the fault's start (ms). */
  unexpectedAt: { request: string; startMs: number; endMs: number }[];
  p99Ms: number;
  /** How long the fault lasted (for a kill: until the process answered again). */
  faultMs: number | null;
  /** Distinct `/health` summaries seen while the fault lasted. */
  healthDuring: string[];
  /** Whether /health showed the fault (null when the scenario has no such expectation). */
  healthShowedFault: boolean | null;
  /** From the end of the fault until /health was ok and every event committed before then had reached its effects. */
  recoveryMs: number | null;
  checks: Check[];
  error?: string;
}

export interface RunOptions {
  loadWorkers: number;
  beforeMs: number;
  afterMs: number;
  initialStock: Map<string, number>;
  fixture: LoadFixture;
}

function summarise(h: HealthBody): string {
  const replicas = (h.checks?.replicas ?? []).map((r) => r.status).join("/") || "-";
  return `${h.status} (redis ${h.checks?.redis?.status}, queue ${h.checks?.queue?.status}, replica ${replicas})`;
}

async function health(baseUrl: string): Promise<HealthBody | null> {
  try {
    return (await (
      await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(3000) })
    ).json()) as HealthBody;
  } catch {
    return null;
  }
}

/**
 * The app instances' own ports: the full `/health` report (through the proxy
 * clients get the status only). The second instance directly, not through
 * the relay that slows it down.
 */
const instanceUrls = (ctx: ScenarioContext) => ctx.stack.ports.apps.map((p) => `http://127.0.0.1:${p}`);

/** Polls every instance's /health while `active()` and records what they said. */
function watchHealth(urls: string[], active: () => boolean) {
  const seen: HealthBody[] = [];
  const done = (async () => {
    while (active()) {
      for (const h of await Promise.all(urls.map(health))) if (h) seen.push(h);
      await Bun.sleep(250);
    }
  })();
  return { seen, done };
}

/** Whether events committed up to `t` reached all their effects and /health is ok again. */
async function recovered(ctx: ScenarioContext, t: number): Promise<boolean> {
  const { sql, procs } = ctx.stack;
  const answers = await Promise.all(instanceUrls(ctx).map(health));
  if (answers.some((h) => h?.status !== "ok")) return false;
  const [late] = await sql<{ n: number }[]>`
    select count(*)::int as n from outbox where published_at is null and occurred_at <= to_timestamp(${t / 1000})`;
  if (late!.n > 0) return false;
  const events = await sql<{ id: string }[]>`
    select id from outbox where type = any(${ORDER_EVENTS}) and occurred_at <= to_timestamp(${t / 1000})`;
  const emails = await emailsWritten(procs.logFiles("workers"));
  return events.every((e) => ctx.receiver.received.has(e.id) && emails.has(e.id));
}

function p99(samples: Sample[]): number {
  const d = samples.map((s) => s.endedAt - s.startedAt).sort((a, b) => a - b);
  return d.length ? d[Math.min(d.length - 1, Math.floor(d.length * 0.99))]! : 0;
}

/**
 * Runs one scenario: load through the proxy, the fault in the middle, load
 * after it, then waits for recovery and checks the invariants.
 */
export async function runScenario(
  sc: Scenario,
  ctx: ScenarioContext,
  o: RunOptions,
): Promise<ScenarioResult> {
  const { stack } = ctx;
  const before = repeatsSoFar(ctx.receiver, await emailsWritten(stack.procs.logFiles("workers")));
  const load = runLoad(stack.proxyUrl, o.fixture, o.loadWorkers);
  let fault: FaultWindow | null = null;
  let error: string | undefined;
  let faultActive = true;
  let recoveryMs: number | null = null;
  // Replica health is polled (REPLICA_CHECK_INTERVAL_MS, 500 ms): a fault shorter than a
  // poll or two (an embedded replica is back in ~0.8 s) is on /health until the next poll
  // after it, so /health is still watched for a second after the fault ends.
  let watchUntil = Number.POSITIVE_INFINITY;
  const watcher = watchHealth(instanceUrls(ctx), () => faultActive || Date.now() < watchUntil);
  try {
    await Bun.sleep(o.beforeMs);
    fault = await sc.inject(ctx);
    watchUntil = Date.now() + 1000;
    faultActive = false;
    const end = fault.end;
    const recovery = (async () => {
      const deadline = end + 90_000;
      while (Date.now() < deadline) {
        if (await recovered(ctx, end).catch(() => false)) return Date.now() - end;
        await Bun.sleep(200);
      }
      return null;
    })();
    await Bun.sleep(o.afterMs);
    await load.stop();
    recoveryMs = await recovery;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    faultActive = false;
    watchUntil = Math.min(watchUntil, Date.now() + 1000);
    await load.stop();
    await watcher.done;
  }
  // Let everything the load committed drain before checking.
  const drainDeadline = Date.now() + 60_000;
  while (Date.now() < drainDeadline) {
    const p = await pendingEffects(
      stack.sql,
      ctx.receiver,
      await emailsWritten(stack.procs.logFiles("workers")),
    );
    if (p.unpublished === 0 && p.missingWebhooks === 0 && p.missingEmails === 0 && p.missingRecords === 0)
      break;
    await Bun.sleep(250);
  }
  const checks = await checkInvariants(
    stack.sql,
    ctx.receiver,
    await emailsWritten(stack.procs.logFiles("workers")),
    o.initialStock,
    sc.maxRepeats,
    before,
  );
  const failed = load.samples.filter((s) => s.status < 200 || s.status > 299);
  const allowed = fault ? failed.filter((s) => sc.allows(s, fault!)) : [];
  const unexpectedErrors: Record<string, number> = {};
  const unexpectedAt: ScenarioResult["unexpectedAt"] = [];
  const t0 = fault?.start ?? 0;
  for (const s of failed)
    if (!allowed.includes(s)) {
      const key = `${s.kind} ${s.status || (s.error ?? "error")}`;
      unexpectedErrors[key] = (unexpectedErrors[key] ?? 0) + 1;
      if (unexpectedAt.length < 10)
        unexpectedAt.push({
          request: `${s.method} ${key}`,
          startMs: s.startedAt - t0,
          endMs: s.endedAt - t0,
        });
    }
  const healthShowedFault = sc.healthShows ? watcher.seen.some((h) => sc.healthShows!(h)) : null;
  if (healthShowedFault === false)
    checks.push({ name: "/health showed the fault", pass: false, detail: "never" });
  if (recoveryMs === null && !error) error = "did not recover within 90 s";
  const pass =
    !error &&
    Object.keys(unexpectedErrors).length === 0 &&
    checks.every((c) => c.pass) &&
    healthShowedFault !== false;
  return {
    name: sc.name,
    pass,
    requests: load.samples.length,
    allowedErrors: allowed.length,
    unexpectedErrors,
    unexpectedAt,
    p99Ms: p99(load.samples),
    healthDuring: [...new Set(watcher.seen.map(summarise))],
    healthShowedFault,
    recoveryMs,
    faultMs: fault ? fault.end - fault.start : null,
    checks,
    error,
  };
}
