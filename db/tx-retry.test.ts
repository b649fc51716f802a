import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "./testing.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("txretry");
  await t.sql`create table pair (id int primary key, v int not null)`;
  await t.sql`insert into pair values (1, 0), (2, 0)`;
});
afterAll(async () => {
  await t.drop();
});

test("a deadlock victim is run again and both transactions commit", async () => {
  let attemptsA = 0;
  let attemptsB = 0;
  // A barrier instead of sleeps: each transaction takes its second lock only once both hold
  // their first (the update has returned, so its row lock is held), which makes the deadlock
  // certain. A retried victim finds the barrier open and simply runs.
  let holdA!: () => void;
  let holdB!: () => void;
  const aHolds = new Promise<void>((r) => {
    holdA = r;
  });
  const bHolds = new Promise<void>((r) => {
    holdB = r;
  });
  const a = t.db.tx(async (tx) => {
    attemptsA++;
    await tx`update pair set v = v + 1 where id = 1`;
    holdA();
    await bHolds;
    await tx`update pair set v = v + 1 where id = 2`;
  });
  const b = t.db.tx(async (tx) => {
    attemptsB++;
    await tx`update pair set v = v + 10 where id = 2`;
    holdB();
    await aHolds;
    await tx`update pair set v = v + 10 where id = 1`;
  });
  await Promise.all([a, b]);
  // Exactly one of them was chosen as the victim and ran twice.
  expect(attemptsA + attemptsB).toBe(3);
  const rows = await t.sql<{ id: number; v: number }[]>`select id, v from pair order by id`;
  expect(rows.map((r) => r.v)).toEqual([11, 11]);
});

test("other errors are not retried", async () => {
  let attempts = 0;
  await expect(
    t.db.tx(async (tx) => {
      attempts++;
      await tx`insert into pair values (1, 0)`;
    }),
  ).rejects.toMatchObject({ code: "23505" });
  expect(attempts).toBe(1);
});
