import { backup } from "../backup.ts";
import { restore } from "../restore.ts";
import { run, waitFor } from "./docker.ts";
import { type PgTarget, psql } from "./pg.ts";

/** The fault and recovery drills of deploy:test. */

/** Per table of the public schema: row count and an md5 over the rows in a fixed order. */
export function tableFingerprints(target: PgTarget, db: string): Map<string, string> {
  const tables = psql(
    target,
    db,
    "select quote_ident(tablename) from pg_tables where schemaname = 'public' order by tablename",
  )
    .split("\n")
    .filter(Boolean);
  const out = new Map<string, string>();
  for (const t of tables) {
    // Whole-row text in a sorted order: independent of physical order and of the dump's column order.
    out.set(
      t,
      psql(
        target,
        db,
        `select count(*) || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') from ${t} x`,
      ),
    );
  }
  return out;
}

/**
 * Backup → restore into a fresh database → compare every table with the
 * source. Tables that changed between the dump and the comparison (live
 * writes) are re-checked against a second dump once before failing.
 */
export async function restoreDrill(
  target: PgTarget,
  dumpFile: string,
): Promise<{ tables: number; bytes: number }> {
  const drillDb = `restore_drill_${Date.now()}`;
  try {
    const source = tableFingerprints(target, "commerce");
    await backup(["--out", dumpFile, "--container", target.kind === "container" ? target.container : ""]);
    await restore([
      dumpFile,
      "--into",
      drillDb,
      "--container",
      target.kind === "container" ? target.container : "",
    ]);
    const restored = tableFingerprints(target, drillDb);
    const after = tableFingerprints(target, "commerce");
    const differing = [...source.keys()].filter(
      (t) => restored.get(t) !== source.get(t) && restored.get(t) !== after.get(t),
    );
    if (restored.size !== source.size)
      throw new Error(`restore drill: ${restored.size} tables restored, ${source.size} in the source`);
    if (differing.length)
      throw new Error(`restore drill: tables differ after restore: ${differing.join(", ")}`);
    const rows = [...restored.values()].reduce((n, v) => n + Number(v.split(":")[0]), 0);
    console.log(`  ok  restore drill: ${restored.size} tables, ${rows} rows identical`);
    return { tables: restored.size, bytes: Bun.file(dumpFile).size };
  } finally {
    psql(target, "postgres", `drop database if exists ${drillDb}`);
  }
}

/**
 * GET load through the proxy while one app container is killed (SIGKILL) and
 * started again; every GET must succeed (the proxy retries an idempotent
 * request on another instance and ejects the dead one).
 */
export async function killUnderLoad(opts: {
  baseUrl: string;
  paths: string[];
  container: string;
  durationMs: number;
  concurrency: number;
  isHealthy: () => boolean;
}): Promise<{ requests: number; failures: string[] }> {
  let requests = 0;
  const failures: string[] = [];
  let stop = false;
  const worker = async (n: number) => {
    for (let i = n; !stop; i++) {
      const path = opts.paths[i % opts.paths.length] as string;
      try {
        const res = await fetch(`${opts.baseUrl}${path}`, {
          tls: { rejectUnauthorized: false },
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(`${path}: HTTP ${res.status}`);
      } catch (err) {
        failures.push(`${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
      requests++;
    }
  };
  const workers = Array.from({ length: opts.concurrency }, (_, n) => worker(n));
  await waitFor("some load", () => (requests >= 50 ? true : undefined), 30_000, 50);
  run(["docker", "kill", "--signal", "KILL", opts.container]);
  const killedAt = requests;
  await Bun.sleep(opts.durationMs); // keep the load on while the instance is gone
  run(["docker", "start", opts.container]);
  await waitFor(
    "the killed instance healthy again",
    () => (opts.isHealthy() ? true : undefined),
    90_000,
    1000,
  );
  stop = true;
  await Promise.all(workers);
  console.log(
    `  ${failures.length ? "FAIL" : "ok "} kill under load: ${requests} GETs (${requests - killedAt} after the kill), ${failures.length} failed`,
  );
  return { requests, failures };
}

/** Forces a WAL segment switch and waits until the primary reports it archived (and no archive failures). */
export async function walArchived(target: PgTarget): Promise<number> {
  const keep = psql(target, "commerce", "show max_slot_wal_keep_size");
  if (keep === "-1")
    throw new Error("max_slot_wal_keep_size is unlimited: a dead replica could fill the disk");
  const before = Number(psql(target, "commerce", "select archived_count from pg_stat_archiver"));
  psql(target, "commerce", "select pg_switch_wal()");
  const archived = await waitFor(
    "a WAL segment archived",
    () => {
      const [count, failed] = psql(
        target,
        "commerce",
        "select archived_count, failed_count from pg_stat_archiver",
      ).split("|");
      if (Number(failed) > 0) throw new Error(`WAL archiving failed ${failed} times`);
      return Number(count) > before ? Number(count) : undefined;
    },
    30_000,
    500,
  );
  console.log(`  ok  WAL archiving: ${archived} segments archived; max_slot_wal_keep_size ${keep}`);
  return archived;
}
