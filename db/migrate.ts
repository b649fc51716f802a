import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Sql } from "./client.ts";

/** Advisory-lock key shared by every migration runner ("migrate" as a number). */
const LOCK_KEY = 0x6d696772617465n;
const defaultDir = join(import.meta.dir, "migrations");

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Reads `NNNN_name.sql` files from `dir`, ordered by version. */
export async function loadMigrations(dir = defaultDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  const out: Migration[] = [];
  for (const file of files) {
    const sql = await Bun.file(join(dir, file)).text();
    const version = Number.parseInt(file, 10);
    if (out.some((m) => m.version === version)) throw new Error(`duplicate migration version ${version}`);
    out.push({ version, name: file, sql, checksum: createHash("sha256").update(sql).digest("hex") });
  }
  return out;
}

/**
 * Applies pending migrations in order, each in its own transaction, while
 * holding a session advisory lock so that concurrent runners (N instances
 * starting together) wait and then find nothing left to do.
 * Returns the names it applied.
 */
export async function migrate(sql: Sql, dir = defaultDir): Promise<string[]> {
  const migrations = await loadMigrations(dir);
  const conn = await sql.reserve();
  const applied: string[] = [];
  try {
    await conn`select pg_advisory_lock(${LOCK_KEY.toString()}::bigint)`;
    await conn`
      create table if not exists schema_migrations (
        version    integer primary key,
        name       text not null,
        checksum   text not null,
        applied_at timestamptz not null default now()
      )`;
    const done = new Map(
      (
        await conn<{ version: number; checksum: string }[]>`select version, checksum from schema_migrations`
      ).map((r) => [r.version, r.checksum]),
    );
    for (const m of migrations) {
      const prior = done.get(m.version);
      if (prior !== undefined) {
        if (prior !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied`);
        continue;
      }
      // A reserved connection has no begin(); the transaction is spelled out.
      await conn`begin`;
      try {
        await conn.unsafe(m.sql);
        await conn`insert into schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`;
        await conn`commit`;
      } catch (err) {
        await conn`rollback`.catch(() => {});
        throw new Error(`migration ${m.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      applied.push(m.name);
    }
  } finally {
    await conn`select pg_advisory_unlock(${LOCK_KEY.toString()}::bigint)`.catch(() => {});
    conn.release();
  }
  return applied;
}
