import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../db/testing.ts";
import { createLogger } from "../platform/logger.ts";
import type { DomainEvent } from "../server/core/outbox.ts";
import { defaultRetry, deliver } from "./consume.ts";
import type { ConsumerSpec } from "./transport.ts";

setDefaultTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("consume");
});
afterAll(async () => {
  await t.drop();
});

const ctx = { policy: defaultRetry, logger: createLogger("silent") };

function event(): DomainEvent {
  return {
    id: crypto.randomUUID(),
    type: "order.placed",
    occurred_at: new Date().toISOString(),
    data: { order_id: 1 },
  };
}

/** A consumer whose handler takes a while and notes how many run at once. */
function slowConsumer(name: string) {
  const handled: string[] = [];
  let running = 0;
  let most = 0;
  const spec: ConsumerSpec = {
    name,
    types: "*",
    async handle(e) {
      running++;
      most = Math.max(most, running);
      await Bun.sleep(80);
      handled.push(e.id);
      running--;
    },
  };
  return { spec, handled, most: () => most };
}

test("two copies of one event in hand at once: handled once, the second finds it recorded", async () => {
  const c = slowConsumer("copies");
  const e = event();
  const outcomes = await Promise.all([
    deliver(t.sql, c.spec, e, 1, ctx),
    deliver(t.sql, c.spec, { ...e }, 1, ctx),
    deliver(t.sql, c.spec, { ...e }, 2, ctx),
  ]);
  expect(outcomes).toEqual(["done", "duplicate", "duplicate"]);
  expect(c.handled).toEqual([e.id]);
  const [row] = await t.sql<{ n: number }[]>`
    select count(*)::int as n from processed_events where consumer = 'copies' and event_id = ${e.id}`;
  expect(row!.n).toBe(1);
});

test("a copy waiting behind a failed attempt handles the event itself", async () => {
  let calls = 0;
  const spec: ConsumerSpec = {
    name: "flaky",
    types: "*",
    async handle() {
      calls++;
      await Bun.sleep(30);
      if (calls === 1) throw new Error("first attempt fails");
    },
  };
  const e = event();
  const outcomes = await Promise.all([
    deliver(t.sql, spec, e, 1, ctx),
    deliver(t.sql, spec, { ...e }, 1, ctx),
  ]);
  expect(outcomes).toEqual(["retry", "done"]);
  expect(calls).toBe(2);
});

test("different events are not held back by each other", async () => {
  const c = slowConsumer("parallel");
  const events = [event(), event(), event()];
  const outcomes = await Promise.all(events.map((e) => deliver(t.sql, c.spec, e, 1, ctx)));
  expect(outcomes).toEqual(["done", "done", "done"]);
  expect(c.most()).toBe(3);
  expect(new Set(c.handled)).toEqual(new Set(events.map((e) => e.id)));
});
