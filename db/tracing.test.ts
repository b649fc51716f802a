import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../platform/logger.ts";
import { type OtlpReceiver, startOtlpReceiver } from "../platform/testing/otlp-receiver.ts";
import { until } from "../platform/testing/until.ts";
import { flushTracing, inSpan, startTracing, stopTracing, tracingSettings } from "../platform/tracing.ts";
import { createDatabase, type Database, type Sql, type TxSql } from "./client.ts";
import { callerName } from "./statement-name.ts";
import { createTestDatabase, type TestDatabase } from "./testing.ts";

let rx: OtlpReceiver;
let tdb: TestDatabase;
let db: Database;

beforeAll(async () => {
  rx = startOtlpReceiver();
  tdb = await createTestDatabase("dbtrace");
  // Tracing first: createDatabase installs the statement spans only when it is on.
  await startTracing(
    "db-test",
    tracingSettings.load({ OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }),
  );
  db = createDatabase({ primaryUrl: tdb.url, logger: createLogger("silent") });
});

afterAll(async () => {
  await stopTracing();
  await db.close(1);
  await tdb.drop();
  await rx.stop();
});

async function countOutboxRows(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from outbox`;
  return row!.n;
}

async function insertEvent(tx: TxSql): Promise<void> {
  await tx`insert into outbox (type, data) values ('order.placed', ${tx.json({ secret: "value-not-in-span" })})`;
}

describe("statement spans", () => {
  test("each statement in a span is a child span named by its function, without SQL or values", async () => {
    await inSpan("request", async () => {
      await db.read((sql) => countOutboxRows(sql));
      await db.tx((tx) => insertEvent(tx));
    });
    await flushTracing();
    await until(() => rx.spans.some((s) => s.name === "request"), "the request span");
    const parent = rx.spans.find((s) => s.name === "request")!;
    const count = rx.spans.find((s) => s.name === "db.countOutboxRows");
    const insert = rx.spans.find((s) => s.name === "db.insertEvent");
    expect(count?.parentSpanId).toBe(parent.spanId);
    expect(insert?.parentSpanId).toBe(parent.spanId);
    expect(count?.attributes["db.system.name"]).toBe("postgresql");
    expect(JSON.stringify(rx.spans)).not.toContain("value-not-in-span");
  });

  test("statements outside any span make none", async () => {
    const before = rx.spans.length;
    await countOutboxRows(db.primary);
    await flushTracing();
    expect(rx.spans.length).toBe(before);
  });

  test("a failing statement marks its span failed and still throws", async () => {
    await expect(
      inSpan("failing", () => db.read((sql) => sql`select * from no_such_table`)),
    ).rejects.toThrow();
    await flushTracing();
    await until(() => rx.spans.some((s) => s.name === "failing"), "the failing span");
    expect(rx.spans.some((s) => s.name.startsWith("db.tracing.test:"))).toBe(true);
  });

  test("callerName reads Bun stack frames", () => {
    expect(
      callerName(
        "Error\n    at instrument (/x/db/tracing.ts:1:1)\n    at listProductPage (/app/server/catalog/queries.ts:80:10)",
      ),
    ).toBe("catalog.listProductPage");
    expect(callerName("Error\n    at /app/workers/relay.ts:12:3")).toBe("workers.relay:12");
    expect(
      callerName(
        "Error\n    at <anonymous> (/app/db/client.ts:117:20)\n    at read (/app/db/client.ts:149:20)\n    at listUsers (/app/server/users/queries.ts:9:1)",
      ),
    ).toBe("users.listUsers");
    expect(callerName("Error\n    at async recordEvent (/app/server/core/outbox.ts:5:1)")).toBe(
      "core.recordEvent",
    );
  });
});
