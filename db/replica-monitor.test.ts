import { expect, test } from "bun:test";
import postgres from "postgres";
import { type ReplicaState, replicaMonitor } from "./replica-monitor.ts";

test("a replica that accepts connections but never answers is marked down at the check's deadline", async () => {
  // A black hole: the TCP connection opens, no byte ever comes back (a replica
  // stopped mid-handshake, or a network path that drops everything).
  const hole = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const sql = postgres(`postgres://postgres@127.0.0.1:${hole.port}/x`, { connect_timeout: 30, max: 1 });
  const replica: ReplicaState = {
    name: "replica-1",
    sql,
    status: "up",
    replayLsn: null,
    lagMs: null,
    latencyMs: null,
    lastError: null,
  };
  const check = replicaMonitor([replica], async () => 0n, 1000, 300);
  const started = performance.now();
  await check();
  const took = performance.now() - started;
  expect(replica.status).toBe("down");
  expect(replica.lastError).toContain("timed out");
  expect(took).toBeLessThan(10_000); // far below the driver's own 30 s connect timeout
  await sql.end({ timeout: 0 }).catch(() => {});
  hole.stop(true);
});
