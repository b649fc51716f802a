import { output, run } from "./docker.ts";
import { containerOf, stackSettings } from "./stack.ts";

/**
 * Where backup and restore run pg_dump / pg_restore / psql: inside a Postgres
 * container (same version as the server, Unix-socket access) or, with
 * DATABASE_URL set and no container named, with the client tools on this host.
 */
export type PgTarget = { kind: "container"; container: string; user: string } | { kind: "url"; url: string };

/** `--container ID`, else DATABASE_URL, else the primary of the local compose stack (deploy:up). */
export function pgTarget(args: string[]): PgTarget {
  const i = args.indexOf("--container");
  if (i >= 0 && args[i + 1]) return { kind: "container", container: args[i + 1] as string, user: "app" };
  if (process.env.DATABASE_URL && !args.includes("--compose"))
    return { kind: "url", url: process.env.DATABASE_URL };
  const container = containerOf(stackSettings(), "postgres-primary");
  if (!container)
    throw new Error("no --container, no DATABASE_URL and no local compose stack (bun run deploy:up)");
  return { kind: "container", container, user: "app" };
}

/** The argv that runs a Postgres client tool against `db` on the target; stdin is passed through. */
export function pgCommand(target: PgTarget, tool: string, db: string, args: string[]): string[] {
  if (target.kind === "container")
    return ["docker", "exec", "-i", target.container, tool, "-U", target.user, "-d", db, ...args];
  const url = new URL(target.url);
  url.pathname = `/${db}`;
  return [tool, "-d", url.toString(), ...args];
}

/** The database name of the target (commerce for containers). */
export function targetDb(target: PgTarget): string {
  return target.kind === "url" ? new URL(target.url).pathname.slice(1) || "postgres" : "commerce";
}

/** Runs one SQL statement and returns psql's unaligned output. */
export function psql(target: PgTarget, db: string, sql: string): string {
  return output(pgCommand(target, "psql", db, ["-v", "ON_ERROR_STOP=1", "-tAX", "-c", sql]));
}

/** Runs a client tool with inherited output; throws on failure. */
export function pgRun(target: PgTarget, tool: string, db: string, args: string[]): void {
  run(pgCommand(target, tool, db, args));
}
