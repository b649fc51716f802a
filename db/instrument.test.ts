import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createLogger } from "../platform/logger.ts";
import { Registry } from "../platform/metrics.ts";
import { createDatabase, type Database, type Sql, type TxSql } from "./client.ts";
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
  // Query helpers as the domains write them: each statement is named by the function that wrote it.
  const productBySlug = async (sql: Sql, slug: string) => sql`select id from products where slug = ${slug}`;
  async function countInventory(sql: TxSql) {
    return sql`select count(*) from inventory`;
  }
  async function firstCategory(sql: TxSql) {
    return sql`select 1 from categories`;
  }
  async function brokenRead(sql: Sql) {
    return sql`select nope from products`;
  }

  test("times statements by name, in and out of transactions, and counts errors", async () => {
    await productBySlug(db.primary, "x");
    await productBySlug(db.primary, "y");
    await db.tx(async (sql) => {
      await countInventory(sql);
      await sql.savepoint(async (sp) => {
        await firstCategory(sp);
      });
    });
    await expect(brokenRead(db.primary)).rejects.toThrow();
    const count = (statement: string) => duration().count({ pool: "primary", statement });
    expect(count("db.productBySlug")).toBe(2);
    expect(count("db.countInventory")).toBe(1);
    expect(count("db.firstCategory")).toBe(1);
    expect(count("db.brokenRead")).toBe(1);
    expect(
      registry.counter("db_query_errors_total", "").get({ pool: "primary", statement: "db.brokenRead" }),
    ).toBe(1);
    expect(
      registry.counter("db_query_errors_total", "").get({ pool: "primary", statement: "db.productBySlug" }),
    ).toBe(0);
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
