import type { Sql } from "../../db/client.ts";

/**
 * The workers' heartbeat table (owned here; the workers call these functions):
 * each workers process upserts its state every few seconds and the apps'
 * `/health` reads the fresh rows, so the queue entry tells what the workers
 * actually see (broker connection, backlog) rather than what an app sees.
 */
export interface WorkerState {
  worker_id: string;
  transport: "rabbitmq" | "in-process";
  broker_connected: boolean;
  /** Free-form details: broker error, relay stats, consumer backlog. */
  state: Record<string, unknown>;
  started_at: Date;
}

/** A heartbeat row as read back, with its age. */
export interface WorkerHeartbeat extends WorkerState {
  age_ms: number;
}

/** Upserts one process's state. */
export async function recordWorkerState(sql: Sql, s: WorkerState): Promise<void> {
  await sql`
    insert into worker_heartbeats (worker_id, transport, broker_connected, state, started_at, updated_at)
    values (${s.worker_id}, ${s.transport}, ${s.broker_connected}, ${sql.json(s.state as Parameters<Sql["json"]>[0])}, ${s.started_at}, now())
    on conflict (worker_id) do update set
      transport = excluded.transport, broker_connected = excluded.broker_connected,
      state = excluded.state, updated_at = now()`;
}

/** Removes a process's row (graceful stop) and rows silent for a day (crashed processes). */
export async function removeWorkerState(sql: Sql, workerId: string): Promise<void> {
  await sql`delete from worker_heartbeats where worker_id = ${workerId} or updated_at < now() - interval '1 day'`;
}

/** Rows updated within `freshMs`, newest first. */
export async function freshWorkerStates(sql: Sql, freshMs: number): Promise<WorkerHeartbeat[]> {
  return (await workerStates(sql)).filter((w) => w.age_ms < freshMs);
}

/** Every row, newest first: stale ones are processes that died without a graceful stop. */
export async function workerStates(sql: Sql): Promise<WorkerHeartbeat[]> {
  return sql<WorkerHeartbeat[]>`
    select worker_id, transport, broker_connected, state, started_at,
           (extract(epoch from now() - updated_at) * 1000)::int as age_ms
    from worker_heartbeats
    order by updated_at desc`;
}
