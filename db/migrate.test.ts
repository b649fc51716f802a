import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import postgres from "postgres";
import { loadMigrations, migrate } from "./migrate.ts";
import { testServerUrl, withDatabase } from "./testing.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

let server: string;
const name = `test_migrate_${crypto.randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  server = await testServerUrl();
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
});

afterAll(async () => {
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

test("two runners started together apply the schema exactly once", async () => {
  const a = postgres(withDatabase(server, name), { max: 2, onnotice: () => {} });
  const b = postgres(withDatabase(server, name), { max: 2, onnotice: () => {} });
  try {
    const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
    const all = await loadMigrations();
    // Between them they applied every migration once; one of them found nothing to do.
    expect([...ra, ...rb].sort()).toEqual(all.map((m) => m.name).sort());
    expect(Math.min(ra.length, rb.length)).toBe(0);
    const rows = await a<{ version: number }[]>`select version from schema_migrations order by version`;
    expect(rows.map((r) => r.version)).toEqual(all.map((m) => m.version));
    // A third run is a no-op.
    expect(await migrate(a)).toEqual([]);
  } finally {
    await a.end();
    await b.end();
  }
});
