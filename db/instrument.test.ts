import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createLogger } from "../platform/logger.ts";
import { Registry } from "../platform/metrics.ts";
import { createDatabase, type Database } from "./client.ts";
import { createTestDatabase, type TestDatabase } from "./testing.ts";

setDefaultTimeout(60_000);

describe("instrumented pool (real Postgres)", () => {
  let t: TestDatabase;
  let db: Database;
  const registry = new Registry();

  beforeAll(async () => {
    t = await createTestDatabase("instrument");
    db = createDatabase({ primaryUrl: t.url, poolMax: 2, logger: createLogger("silent"), metrics: registry });
  });
  afterAll(async () => {
    await db?.close(1);
    await t?.drop();
  });

  const duration = () => registry.histogram("db_query_duration_seconds", "");
  test("times statements by name, in and out of transactions, and counts errors", async () => {
    await db.primary`select id from products where slug = ${"x"}`;
    await db.tx(async (sql) => {
      await sql`select count(*) from inventory`;
      await sql.savepoint(async (sp) => {
        await sp`select 1 from categories`;
      });
    });
    await expect(db.primary`select nope from products`).rejects.toThrow();
    // A statement that is a fragment alone is named by the fragment.
    await db.primary`${db.primary`select 1 from orders`}`;
    expect(duration().count({ pool: "primary", statement: "select orders" })).toBe(1);
    expect(duration().count({ pool: "primary", statement: "select products" })).toBe(2);
    expect(duration().count({ pool: "primary", statement: "select inventory" })).toBe(1);
    expect(duration().count({ pool: "primary", statement: "select categories" })).toBe(1);
    expect(
      registry.counter("db_query_errors_total", "").get({ pool: "primary", statement: "select products" }),
    ).toBe(1);
    expect(registry.histogram("db_transaction_start_seconds", "").count({ pool: "primary" })).toBe(1);
  });

  test("pool in use and waits: a third holder on a pool of two waits", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const holders = [1, 2].map(() =>
      db.tx(async (sql) => {
        await sql`select 1`;
        await gate;
      }),
    );
    // `.then` starts the statement now (postgres.js runs it on the first await).
    const waiting = db.primary`select pg_sleep(0)`.then((rows) => rows);
    const text = registry.render();
    expect(text).toContain('db_pool_connections_in_use{pool="primary"} 2');
    expect(text).toContain('db_pool_waiting{pool="primary"} 1');
    expect(registry.counter("db_pool_waits_total", "").get({ pool: "primary" })).toBeGreaterThanOrEqual(1);
    release();
    await Promise.all([...holders, waiting]);
    expect(registry.render()).toContain('db_pool_connections_in_use{pool="primary"} 0');
  });
});
