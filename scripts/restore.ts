import { pgCommand, pgTarget, psql, targetDb } from "./deploy/pg.ts";

/**
 * `bun run restore FILE [--into DB] [--container ID | --compose]`: restores a
 * custom-format dump. With `--into DB` the database is created fresh (it must
 * not exist) — the safe default for drills and for inspecting a backup next to
 * production; without it the dump replaces the objects of the target database
 * (`--clean --if-exists`), which is what recovering a lost database means.
 * Stops at the first error.
 */
export async function restore(args: string[]): Promise<string> {
  const file = args.find(
    (a, i) => !a.startsWith("--") && !["--into", "--container"].includes(args[i - 1] ?? ""),
  );
  if (!file) throw new Error("usage: bun run restore FILE [--into DB] [--container ID | --compose]");
  const target = pgTarget(args);
  const i = args.indexOf("--into");
  const into = i >= 0 ? args[i + 1] : undefined;
  if (into !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(into))
    throw new Error(`--into: bad database name ${into}`);
  const db = into ?? targetDb(target);
  if (into) psql(target, "postgres", `create database ${into}`);
  const flags = ["--no-owner", "--exit-on-error", "--single-transaction"];
  if (!into) flags.push("--clean", "--if-exists");
  const proc = Bun.spawn(pgCommand(target, "pg_restore", db, flags), {
    stdin: Bun.file(file),
    stdout: "inherit",
    stderr: "inherit",
  });
  const code = await proc.exited;
  if (code !== 0) throw new Error(`pg_restore exited ${code}`);
  console.log(`restore: ${file} -> database ${db}`);
  return db;
}

if (import.meta.main) await restore(process.argv.slice(2));
