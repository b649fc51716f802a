import { closeSync, mkdirSync, openSync, renameSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pgCommand, pgTarget, targetDb } from "./deploy/pg.ts";

/**
 * `bun run backup [--out FILE] [--container ID | --compose]`: a custom-format
 * (`pg_dump -Fc`, compressed, restorable table by table with pg_restore) dump
 * of the commerce database. Source: the named Postgres container, else
 * DATABASE_URL with this host's pg_dump, else the primary of the local compose
 * stack. Written to FILE.partial and renamed when pg_dump succeeds, so a file
 * named *.dump is always complete. Default FILE: backups/commerce-<UTC time>.dump.
 * For point-in-time recovery the production compose also archives WAL
 * (docs/operations.md); a dump is the logical, portable layer on top.
 */
export async function backup(args: string[]): Promise<string> {
  const i = args.indexOf("--out");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const out = resolve(
    i >= 0 && args[i + 1] ? (args[i + 1] as string) : join("backups", `commerce-${stamp}.dump`),
  );
  mkdirSync(dirname(out), { recursive: true });
  const target = pgTarget(args);
  const partial = `${out}.partial`;
  const fd = openSync(partial, "w", 0o600);
  try {
    const proc = Bun.spawn(pgCommand(target, "pg_dump", targetDb(target), ["-Fc", "--no-owner"]), {
      stdout: fd,
      stderr: "inherit",
    });
    const code = await proc.exited;
    if (code !== 0) throw new Error(`pg_dump exited ${code}`);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, out);
  console.log(`backup: ${out} (${statSync(out).size} bytes)`);
  return out;
}

if (import.meta.main) await backup(process.argv.slice(2));
