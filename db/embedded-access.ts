import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, parse } from "node:path";

/**
 * When we run as root, Postgres runs as the `postgres` user, who must be able
 * to reach its binaries and its data folder. A clone under a folder only root
 * may enter (`/root/shop`, a `mktemp -d` folder) hides both from it, so the
 * binaries are copied to a root-owned folder under /var/tmp and the data lives
 * in a per-checkout folder beside them.
 */

/** A user and group id, as Postgres is started with. */
export interface RunAs {
  uid?: number;
  gid?: number;
}

/** The embedded Postgres executables (all in one `bin/` folder of the package's native tree). */
export interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

const SHARED_ROOT = "/var/tmp";

/** Whether `ids` may search every folder on the way to `path` (and `path` itself when it is a folder). */
export function reachableBy(path: string, ids: RunAs): boolean {
  if (ids.uid === undefined) return true;
  let dir = path;
  const chain: string[] = [];
  while (true) {
    chain.push(dir);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const d of chain) {
    if (!existsSync(d)) continue;
    const st = statSync(d);
    if (!st.isDirectory()) continue;
    const mode = st.mode;
    const ok = st.uid === ids.uid ? mode & 0o100 : st.gid === ids.gid ? mode & 0o010 : mode & 0o001;
    if (!ok) return false;
  }
  return true;
}

function nativeRoot(bin: Binaries): string {
  return dirname(dirname(bin.postgres));
}

/** A folder we own alone: refuses one somebody else planted in the shared /var/tmp. */
function assertOwnedByRoot(dir: string): void {
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== 0 || st.mode & 0o022)
    throw new Error(`${dir} is not a root-owned folder that only root may write; remove it and start again`);
}

/**
 * The binaries as the Postgres user can run them: the package's own when it
 * can reach them, else a copy under /var/tmp made once per package version.
 */
export function reachableBinaries(bin: Binaries, ids: RunAs): Binaries {
  const source = nativeRoot(bin);
  if (reachableBy(join(source, "bin"), ids)) return bin;
  const version = JSON.parse(readFileSync(join(dirname(source), "package.json"), "utf8")).version as string;
  const target = join(SHARED_ROOT, `commerce-pg-bin-${version}`);
  if (!existsSync(join(target, "bin", parse(bin.postgres).base))) {
    const staging = `${target}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const cp = Bun.spawnSync(["cp", "-a", source, staging]);
    if (cp.exitCode !== 0) throw new Error(`copying Postgres binaries to ${staging} failed: ${cp.stderr}`);
    Bun.spawnSync(["chmod", "-R", "go-w,a+rX", staging]);
    try {
      renameSync(staging, target);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // a concurrent start made it first
    }
  }
  assertOwnedByRoot(target);
  const at = (file: string) => join(target, "bin", parse(file).base);
  return { postgres: at(bin.postgres), initdb: at(bin.initdb), pg_ctl: at(bin.pg_ctl) };
}

/**
 * The folder the servers keep their data in: `dataRoot` when the Postgres
 * user can reach it, else `/var/tmp/commerce-pg-data-<hash of dataRoot>`, the
 * same for every process of one checkout. `onMoved` hears where it went.
 */
export function reachableDataRoot(dataRoot: string, ids: RunAs, onMoved?: (dir: string) => void): string {
  if (reachableBy(dataRoot, ids)) return dataRoot;
  const hash = createHash("sha256").update(dataRoot).digest("hex").slice(0, 16);
  const dir = join(SHARED_ROOT, `commerce-pg-data-${hash}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  onMoved?.(dir);
  return dir;
}
