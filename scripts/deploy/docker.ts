import { existsSync } from "node:fs";
import { join } from "node:path";

/** Small wrappers around the docker and compose CLIs used by the deploy scripts. */

export const repoRoot = join(import.meta.dir, "..", "..");

/** Runs a command, inheriting output; throws on a non-zero exit unless `allowFail`. */
export function run(
  cmd: string[],
  opts: { env?: Record<string, string | undefined>; allowFail?: boolean; quiet?: boolean; cwd?: string } = {},
): number {
  if (!opts.quiet) console.log(`$ ${cmd.join(" ")}`);
  const r = Bun.spawnSync(cmd, {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", opts.quiet ? "ignore" : "inherit", opts.quiet ? "ignore" : "inherit"],
  });
  if (r.exitCode !== 0 && !opts.allowFail) throw new Error(`${cmd.join(" ")} exited ${r.exitCode}`);
  return r.exitCode ?? 1;
}

/** Runs a command and returns its trimmed stdout; throws on failure unless `allowFail`. */
export function output(
  cmd: string[],
  opts: { env?: Record<string, string | undefined>; allowFail?: boolean; stdin?: string } = {},
): string {
  const r = Bun.spawnSync(cmd, {
    cwd: repoRoot,
    env: { ...process.env, ...opts.env },
    stdin: opts.stdin === undefined ? "ignore" : Buffer.from(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  if (r.exitCode !== 0 && !opts.allowFail)
    throw new Error(`${cmd.join(" ")} exited ${r.exitCode}: ${r.stderr.toString().trim()}`);
  return r.stdout.toString().trim();
}

/** True when a Docker engine answers. */
export function dockerUp(): boolean {
  return Bun.spawnSync(["docker", "info"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
}

/** The compose command: Debian's docker-compose 1.29, or the `docker compose` plugin. */
export function composeCommand(): string[] {
  if (Bun.which("docker-compose")) return ["docker-compose"];
  return ["docker", "compose"];
}

/** True when an image with this reference exists locally. */
export function imageExists(ref: string): boolean {
  return (
    Bun.spawnSync(["docker", "image", "inspect", ref], { stdout: "ignore", stderr: "ignore" }).exitCode === 0
  );
}

/** Polls `check` every `everyMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  everyMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await Bun.sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/**
 * Starts `dockerd` when no engine answers and this process may (root, binary
 * present). Returns a stop function for an engine started here, else a no-op.
 */
export async function ensureDockerd(): Promise<() => Promise<void>> {
  if (dockerUp()) return async () => {};
  const dockerd = Bun.which("dockerd");
  if (!dockerd || process.getuid?.() !== 0)
    throw new Error("no Docker engine answers and dockerd cannot be started here");
  console.log("starting dockerd");
  const log = Bun.file(join(existsSync("/var/log") ? "/var/log" : "/tmp", "commerce-dockerd.log"));
  const proc = Bun.spawn([dockerd], { stdout: log, stderr: log, stdin: "ignore" });
  await waitFor("dockerd", () => (dockerUp() ? true : undefined), 60_000, 500);
  return async () => {
    proc.kill("SIGTERM");
    await proc.exited;
  };
}
