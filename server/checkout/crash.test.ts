import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Subprocess } from "bun";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { startAppProcess } from "../testing/app-process.ts";
import { checkoutBody, createSkus, createUsers, stockOf, type TestUser } from "../testing/fixtures.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

/**
 * Crash test with real processes: an app instance started from the test-only
 * entry server/testing/crash-after-reserve.ts dies right after the reservation
 * commits (before any payment), like a SIGKILL. A restarted instance's sweeper must give the
 * stock and the cart back and leave no half-made order.
 */
let database: TestDatabase;
let user: TestUser;
const children: Subprocess[] = [];
async function startApp(entry: string): Promise<{ base: string; proc: Subprocess }> {
  // A fresh port (retried if taken), a minimal environment and process.execPath (testing/app-process.ts).
  const app = await startAppProcess(
    {
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: "4",
      RESERVATION_TIMEOUT_S: "1",
      RESERVATION_SWEEP_INTERVAL_MS: "200",
    },
    entry,
  );
  children.push(app.proc);
  return app;
}

async function call(base: string, path: string, init: RequestInit & { json?: unknown; key?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${user.token}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  if (init.key) headers.set("idempotency-key", init.key);
  return fetch(`${base}${path}`, {
    ...init,
    headers,
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
  });
}

beforeAll(async () => {
  database = await createTestDatabase("crash");
  [user] = (await createUsers(database.sql, 1)) as [TestUser];
  await createSkus(database.sql, [
    { sku: "CRASH-A", price: 1500, stock: 10 },
    { sku: "CRASH-B", price: 300, stock: 4 },
  ]);
});

afterAll(async () => {
  for (const p of children) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  await Promise.all(children.map((p) => p.exited));
  await database.drop();
});

test("process killed between reservation and payment: restart sweeps the stock and cart back", async () => {
  const first = await startApp("server/testing/crash-after-reserve.ts");
  expect(
    (await call(first.base, "/api/cart/items", { method: "POST", json: { sku: "CRASH-A", quantity: 3 } }))
      .status,
  ).toBe(201);
  expect(
    (await call(first.base, "/api/cart/items", { method: "POST", json: { sku: "CRASH-B", quantity: 4 } }))
      .status,
  ).toBe(201);

  // The connection dies with the process: no answer at all.
  const outcome = await call(first.base, "/api/checkout", {
    method: "POST",
    key: "crash-1",
    json: checkoutBody(),
  }).then(
    (r) => `status ${r.status}`,
    () => "connection lost",
  );
  expect(outcome).toBe("connection lost");
  await first.proc.exited;
  expect(first.proc.signalCode).toBe("SIGKILL");

  // The reservation committed, nothing after it did.
  const sql = database.sql;
  const [held] = await sql<{ id: string; status: string; payment: string }[]>`
    select o.id, o.status, p.status as payment from orders o join payments p on p.order_id = o.id
    where o.user_id = ${user.id}`;
  expect(held).toMatchObject({ status: "pending", payment: "pending" });
  expect(await stockOf(sql, "CRASH-A")).toBe(7);
  expect(await stockOf(sql, "CRASH-B")).toBe(0);

  // Restart as a normal instance: the sweeper releases the expired reservation.
  const second = await startApp("server/main.ts");
  let status = "pending";
  for (let i = 0; i < 300 && status === "pending"; i++) {
    await Bun.sleep(100);
    const [now] = await sql<{ status: string }[]>`select status from orders where id = ${held!.id}`;
    status = now!.status;
  }
  expect(status).toBe("cancelled");
  expect(await stockOf(sql, "CRASH-A")).toBe(10);
  expect(await stockOf(sql, "CRASH-B")).toBe(4);
  const [row] = await sql<{ stock_released: boolean; payment: string }[]>`
    select o.stock_released, p.status as payment from orders o join payments p on p.order_id = o.id where o.id = ${held!.id}`;
  expect(row).toEqual({ stock_released: true, payment: "failed" });
  const events = await sql<
    { type: string }[]
  >`select type from outbox where aggregate_id = ${held!.id} order by seq`;
  expect(events.map((e) => e.type)).toEqual(["order.placed", "order.cancelled"]);

  // The cart is back, and the same Idempotency-Key completes the purchase now.
  const cart = (await (await call(second.base, "/api/cart")).json()) as {
    items: { sku: string; quantity: number }[];
  };
  expect(cart.items.map((i) => [i.sku, i.quantity])).toEqual([
    ["CRASH-A", 3],
    ["CRASH-B", 4],
  ]);
  const retry = await call(second.base, "/api/checkout", {
    method: "POST",
    key: "crash-1",
    json: checkoutBody(),
  });
  expect(retry.status).toBe(201);
  expect(await stockOf(sql, "CRASH-B")).toBe(0);

  second.proc.kill("SIGTERM");
  expect(await second.proc.exited).toBe(0);
}, 60_000);
