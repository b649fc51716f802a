import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { DomainEvent, EventType } from "../../server/core/outbox.ts";
import { seedSearchFixture } from "../../server/search/test-support.ts";
import type { SearchEngine } from "../../server/search/types.ts";
import { createTestApp, type TestApp } from "../../server/testing/harness.ts";
import { searchIndexConsumer } from "./search.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp();
  await seedSearchFixture(t.database.sql);
  for (const r of await t.database.sql<{ id: string; slug: string }[]>`select id, slug from products`) {
    ids[r.slug] = Number(r.id);
  }
});
afterAll(() => t.close());

/** An engine that only records what the consumer asked of it. */
function recordingEngine() {
  const calls: string[] = [];
  const engine: SearchEngine = {
    name: "elasticsearch",
    search: () => Promise.reject(new Error("unused")),
    suggest: () => Promise.reject(new Error("unused")),
    indexProducts: async (list) => void calls.push(`index ${list.join(",")}`),
    removeProducts: async (list) => void calls.push(`remove ${list.join(",")}`),
    reindex: () => Promise.reject(new Error("unused")),
  };
  return { engine, calls };
}

const event = (type: EventType, data: Record<string, unknown>): DomainEvent => ({
  id: crypto.randomUUID(),
  type,
  occurred_at: new Date().toISOString(),
  data,
});

test("maps catalog, stock, review and order events to the products they touch", async () => {
  const { engine, calls } = recordingEngine();
  const consumer = searchIndexConsumer(t.deps, engine);
  expect(consumer.name).toBe("search-indexer");
  const pixel = ids["pixel-phone"]!;
  await consumer.handle(event("product.created", { id: pixel, slug: "pixel-phone" }));
  await consumer.handle(event("product.updated", { id: pixel, slug: "pixel-phone" }));
  await consumer.handle(event("product.archived", { id: pixel, slug: "pixel-phone" }));
  await consumer.handle(event("review.created", { review_id: 1, product_id: ids["desk-lamp"], rating: 5 }));
  await consumer.handle(event("inventory.changed", { sku: "PIX-256", delta: 3, quantity: 3 }));
  await consumer.handle(
    event("order.placed", { items: [{ sku: "BAS-1" }, { sku: "LAMP-1" }, { sku: "GONE" }] }),
  );
  await consumer.handle(event("inventory.changed", { sku: "NO-SUCH-SKU" }));
  const orderIds = [ids["basic-phone"], ids["desk-lamp"]].sort((a, b) => a! - b!);
  expect(calls.slice(0, 5)).toEqual([
    `index ${pixel}`,
    `index ${pixel}`,
    `remove ${pixel}`,
    `index ${ids["desk-lamp"]}`,
    `index ${pixel}`,
  ]);
  expect(calls[5]!.replace("index ", "").split(",").map(Number).sort()).toEqual(orderIds as number[]);
  expect(calls).toHaveLength(6);
});

test("listens to the events that change what search shows", () => {
  const { engine } = recordingEngine();
  expect(searchIndexConsumer(t.deps, engine).types).toEqual([
    "product.created",
    "product.updated",
    "product.archived",
    "inventory.changed",
    "review.created",
    "order.placed",
    "order.cancelled",
  ]);
});

test("with the default (Postgres) engine every event is a no-op", async () => {
  const sql = t.database.sql;
  const vector = async () =>
    (await sql<{ v: string }[]>`select search_vector::text as v from products where slug = 'pixel-phone'`)[0]!
      .v;
  // A stale vector stays stale: the consumer leaves the trigger-maintained vector alone (no reindex).
  await sql`update products set search_vector = to_tsvector('simple', 'stale') where slug = 'pixel-phone'`;
  try {
    const consumer = searchIndexConsumer(t.deps);
    await consumer.handle(event("product.updated", { id: ids["pixel-phone"], slug: "pixel-phone" }));
    await consumer.handle(event("inventory.changed", { sku: "PIX-128" }));
    await consumer.handle(event("product.archived", { id: ids["pixel-phone"], slug: "pixel-phone" }));
    expect(await vector()).toBe("'stale':1");
  } finally {
    await sql`update products set title = title where slug = 'pixel-phone'`;
  }
});
