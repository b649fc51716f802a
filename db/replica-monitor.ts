import type postgres from "postgres";
import { parseLsn } from "./lsn.ts";

export type ReplicaStatus = "up" | "down" | "lagging";

/** What the routing layer knows of one replica, refreshed by the monitor. */
export interface ReplicaState {
  readonly name: string;
  readonly sql: postgres.Sql;
  status: ReplicaStatus;
  replayLsn: bigint | null;
  lagMs: number | null;
  latencyMs: number | null;
  lastError: string | null;
}

/**
 * The replica monitor of `createDatabase`: returns `checkReplicas`, which
 * polls every replica once and updates its status, replay position and lag.
 * A replica lagging more than `maxLagMs` is marked `lagging` (reads skip it).
 */
export function replicaMonitor(
  replicas: ReplicaState[],
  currentLsn: () => Promise<bigint>,
  maxLagMs: number,
  checkTimeoutMs = 5000,
): () => Promise<void> {
  // Where the primary's WAL was at recent polls: a replica's lag is how long ago
  // the primary was at the position the replica has replayed. (Replay
  // timestamps are null before the first replayed commit and overstate lag on
  // an idle primary, so they are not used.)
  const history: { at: number; lsn: bigint }[] = [];

  function lagFor(replayLsn: bigint, now: number): number {
    const newest = history[history.length - 1];
    if (!newest || replayLsn >= newest.lsn) return 0;
    for (let i = history.length - 1; i >= 0; i--) {
      const h = history[i]!;
      // The replica has nothing the primary wrote after sample i: an upper bound
      // that overstates true lag by at most one poll interval.
      if (h.lsn <= replayLsn) return now - h.at;
    }
    return now - history[0]!.at;
  }

  async function checkReplica(r: ReplicaState): Promise<void> {
    const started = performance.now();
    try {
      const query = r.sql<{ recovery: boolean; lsn: string | null }[]>`
        select pg_is_in_recovery() as recovery, pg_last_wal_replay_lsn()::text as lsn`;
      // A replica that stopped mid-connection can leave the query waiting for
      // ever: the check has a deadline, so the replica is marked down instead.
      // The query is not cancelled: a slow first connection (SCRAM on a busy
      // host) goes on and serves the next check.
      const [row] = await withDeadline(query, checkTimeoutMs);
      r.latencyMs = performance.now() - started;
      if (!row?.recovery || !row.lsn) {
        r.status = "down";
        r.lastError = "not a streaming standby";
        return;
      }
      r.replayLsn = parseLsn(row.lsn);
      r.lagMs = Math.round(lagFor(r.replayLsn, performance.now()));
      r.status = r.lagMs > maxLagMs ? "lagging" : "up";
      r.lastError = null;
    } catch (err) {
      r.status = "down";
      r.latencyMs = null;
      r.lastError = err instanceof Error ? err.message : String(err);
    }
  }

  async function checkReplicas(): Promise<void> {
    if (!replicas.length) return;
    // Read the primary position first: a replica at or past it is fully caught up.
    const primaryLsn = await withDeadline(currentLsn(), checkTimeoutMs).catch(() => null);
    if (primaryLsn !== null) {
      const last = history[history.length - 1];
      if (!last || primaryLsn > last.lsn) history.push({ at: performance.now(), lsn: primaryLsn });
      // Keep about a minute of samples.
      while (history.length > 2 && performance.now() - history[1]!.at > 60_000) history.shift();
      if (history.length > 2000) history.shift();
    }
    await Promise.all(replicas.map((r) => checkReplica(r)));
  }

  return checkReplicas;
}

/** `work`, or a rejection once `ms` have passed. */
function withDeadline<T>(work: PromiseLike<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`health check timed out after ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(work), deadline]).finally(() => clearTimeout(timer));
}
