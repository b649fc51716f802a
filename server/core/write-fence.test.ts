import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import postgres from "postgres";
import { createDatabase, type Database } from "../../db/client.ts";
import { withConsistency } from "../../db/context.ts";
import { startTestPostgres, type TestPostgres, testRedisUrl } from "../../db/testing.ts";
import { loadConfig } from "../../platform/config.ts";
import { createLogger } from "../../platform/logger.ts";
import { Registry } from "../../platform/metrics.ts";
import { createRedis, type Redis } from "../../platform/redis.ts";
import type { AppDeps } from "./deps.ts";
import { loadWriteFence, saveWriteFence } from "./write-fence.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

let cluster: TestPostgres;
let db: Database;
let replica: postgres.Sql;
let redis: Redis | null;
// Resolved at load time so the Redis variant is a visible skip (never a silent pass) without Redis.
const redisUrl = await testRedisUrl();

const depsFor = (r: Redis | null): AppDeps => ({
  config: loadConfig({ DATABASE_URL: `${cluster.primaryUrl}?fence=${crypto.randomUUID()}` }),
  db,
  logger: createLogger("silent"),
  metrics: new Registry(),
  redis: r,
  probes: [],
});

beforeAll(async () => {
  cluster = await startTestPostgres({ label: "fence", replica: true });
  db = createDatabase({
    primaryUrl: cluster.primaryUrl,
    replicaUrls: cluster.replicaUrls,
    checkIntervalMs: 100,
    maxLagMs: 60_000,
  });
  replica = postgres(cluster.replicaUrls[0]!, { max: 1, onnotice: () => {} });
  await db.primary`create table fence_notes (id serial primary key, body text)`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    await db.checkReplicas();
    if (db.replicas[0]!.status === "up" && db.replicas[0]!.lagMs === 0) break;
    if (Date.now() > deadline) throw new Error("replica never caught up");
    await Bun.sleep(50);
  }
  redis = redisUrl ? createRedis(redisUrl) : null;
}, 120_000); // initdb and a replica base backup: far beyond the 5 s default on a busy machine

afterAll(async () => {
  redis?.disconnect();
  await replica.end({ timeout: 1 });
  await db.close(1);
  await cluster.stop();
});

for (const kind of ["redis", "memory"] as const) {
  const label = kind === "redis" ? "real Redis store" : "in-process stand-in store";
  test.skipIf(kind === "redis" && !redisUrl)(
    `a caller's next request reads its own write while the replica lags (${label})`,
    async () => {
      const deps = depsFor(kind === "redis" ? redis : null);
      await replica`select pg_wal_replay_pause()`;
      try {
        const id = await withConsistency({}, async () => {
          const written = await db.tx(
            async (tx) =>
              (await tx<{ id: number }[]>`insert into fence_notes (body) values (${kind}) returning id`)[0]!
                .id,
          );
          await saveWriteFence(deps, "user:1");
          return written;
        });
        // The next request, by the same caller: must not be served by the paused replica.
        const seen = await withConsistency({}, async () => {
          await loadWriteFence(deps, "user:1");
          return db.read((s) => s`select 1 from fence_notes where id = ${id}`);
        });
        expect(seen.length).toBe(1);
        // Another caller has no fence and is served by the replica, which lacks the row.
        const other = await withConsistency({}, async () => {
          await loadWriteFence(deps, "user:2");
          return db.read((s) => s`select 1 from fence_notes where id = ${id}`);
        });
        expect(other.length).toBe(0);
      } finally {
        await replica`select pg_wal_replay_resume()`;
      }
    },
  );
}
