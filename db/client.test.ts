import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import postgres from "postgres";
import { createLogger } from "../platform/logger.ts";
import { createDatabase, type Database } from "./client.ts";
import { withConsistency } from "./context.ts";
import { startTestPostgres, type TestPostgres } from "./testing.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

// A real primary + streaming replica (embedded binaries) so that lag can be made certain.
let cluster: TestPostgres;
let db: Database;
let replicaAdmin: postgres.Sql;

async function until(cond: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(50);
  }
}

beforeAll(async () => {
  cluster = await startTestPostgres({ label: "routing", replica: true });
  db = createDatabase({
    primaryUrl: cluster.primaryUrl,
    replicaUrls: cluster.replicaUrls,
    checkIntervalMs: 100,
    maxLagMs: 60_000,
    logger: createLogger("silent"),
  });
  replicaAdmin = postgres(cluster.replicaUrls[0]!, { max: 1, onnotice: () => {} });
  await db.primary`create table notes (id serial primary key, body text not null)`;
  await until(async () => {
    await db.checkReplicas();
    return db.replicas[0]!.status === "up" && db.replicas[0]!.lagMs === 0;
  });
}, 120_000); // initdb and a replica base backup: far beyond the 5 s default on a busy machine

afterAll(async () => {
  await replicaAdmin?.end({ timeout: 1 }).catch(() => {});
  await db?.close(1);
  await cluster?.stop();
});

describe("replica routing", () => {
  test("plain reads go to a healthy replica", async () => {
    const sql = db.reader();
    expect(sql).toBe(db.replicas[0]!.sql);
    const [row] = await db.read((s) => s<{ recovery: boolean }[]>`select pg_is_in_recovery() as recovery`);
    expect(row!.recovery).toBe(true);
  });

  test("read-your-writes holds while the replica's replay is paused", async () => {
    await replicaAdmin`select pg_wal_replay_pause()`;
    try {
      await withConsistency({}, async () => {
        const id = await db.tx(async (tx) => {
          const [r] = await tx<{ id: number }[]>`insert into notes (body) values ('written') returning id`;
          return r!.id;
        });
        // The replica cannot have it: replay is paused.
        const onReplica = await replicaAdmin`select 1 from notes where id = ${id}`;
        expect(onReplica.length).toBe(0);
        // The routing layer must not send this read to the lagging replica.
        const rows = await db.read((s) => s<{ body: string }[]>`select body from notes where id = ${id}`);
        expect(rows.map((r) => r.body)).toEqual(["written"]);
      });
      // An explicit minimum position from an earlier request is honoured the same way.
      const lsn = await db.currentLsn();
      expect(db.reader({ minLsn: lsn })).toBe(db.primary);
    } finally {
      await replicaAdmin`select pg_wal_replay_resume()`;
    }
  });

  test("a lagging replica is skipped until it recovers", async () => {
    const lagging = createDatabase({
      primaryUrl: cluster.primaryUrl,
      replicaUrls: cluster.replicaUrls,
      checkIntervalMs: 60_000,
      maxLagMs: 50,
      logger: createLogger("silent"),
    });
    try {
      await until(async () => {
        await lagging.checkReplicas();
        return lagging.replicas[0]!.lagMs === 0;
      });
      await replicaAdmin`select pg_wal_replay_pause()`;
      // Writes the paused replica cannot replay; its lag grows until it counts as lagging (polled).
      await until(async () => {
        await lagging.primary`insert into notes (body) values ('lag')`;
        await lagging.checkReplicas();
        return lagging.replicas[0]!.status === "lagging";
      });
      expect(lagging.reader()).toBe(lagging.primary);
      await replicaAdmin`select pg_wal_replay_resume()`;
      await until(async () => {
        await lagging.checkReplicas();
        return lagging.replicas[0]!.status === "up";
      });
      expect(lagging.reader()).toBe(lagging.replicas[0]!.sql);
    } finally {
      await replicaAdmin`select pg_wal_replay_resume()`.catch(() => {});
      await lagging.close(1);
    }
  });

  test("a replica killed with SIGKILL is restarted and readmitted for reads", async () => {
    const pid = cluster.replicaPid();
    expect(pid).not.toBeNull();
    process.kill(pid!, "SIGKILL");
    await until(async () => {
      await db.checkReplicas();
      return db.replicas[0]!.status === "down";
    });
    expect(db.reader()).toBe(db.primary);
    await until(async () => {
      await db.checkReplicas();
      return db.replicas[0]!.status === "up";
    }, 60_000);
    expect(cluster.replicaPid()).not.toBe(pid);
    expect(db.reader()).toBe(db.replicas[0]!.sql);
    const [row] = await db.read((s) => s<{ recovery: boolean }[]>`select pg_is_in_recovery() as recovery`);
    expect(row!.recovery).toBe(true);
  }, 90_000);

  test("reads still succeed on the primary when the replica is stopped", async () => {
    await replicaAdmin.end({ timeout: 1 });
    await cluster.stopReplica();
    // Before the monitor notices: the failed replica read is retried on the primary.
    const rows = await db.read((s) => s<{ n: number }[]>`select count(*)::int as n from notes`);
    expect(rows[0]!.n).toBeGreaterThan(0);
    await db.checkReplicas();
    expect(db.replicas[0]!.status).toBe("down");
    expect(db.reader()).toBe(db.primary);
    const again = await db.read((s) => s<{ recovery: boolean }[]>`select pg_is_in_recovery() as recovery`);
    expect(again[0]!.recovery).toBe(false);
  });
});
