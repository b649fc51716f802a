import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { userWithToken } from "../../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import { seedFixture } from "../test-support.ts";

setDefaultTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedFixture(t.database.sql);
});
afterAll(() => t.close());

test("GET /api/admin/inventory/adjustments lists who changed which SKU, when, by how much and why", async () => {
  const staff = await userWithToken(t, "staff");
  const adjust = (sku: string, delta: number, reason: string) =>
    t.request(`/api/admin/inventory/${sku}/adjust`, {
      method: "POST",
      headers: staff.headers,
      json: { delta, reason },
    });
  expect((await adjust("PIX-128", 4, "delivery")).status).toBe(200);
  expect((await adjust("PIX-256", 1, "recount")).status).toBe(200);
  const r = await t.request("/api/admin/inventory/adjustments?sku=PIX-128&sku=PIX-256", {
    headers: staff.headers,
  });
  expect(r.status).toBe(200);
  const body = (await r.json()) as {
    items: { sku: string; delta: number; reason: string; actor: { id: number; email: string | null } }[];
  };
  expect(body.items.map((a) => [a.sku, a.delta, a.reason, a.actor.id])).toEqual([
    ["PIX-256", 1, "recount", staff.id],
    ["PIX-128", 4, "delivery", staff.id],
  ]);
  expect(body.items[0]!.actor.email).toContain("@");

  const noSku = await t.request("/api/admin/inventory/adjustments", { headers: staff.headers });
  expect(noSku.status).toBe(422);
  const customer = await userWithToken(t, "customer");
  const forbidden = await t.request("/api/admin/inventory/adjustments?sku=PIX-128", {
    headers: customer.headers,
  });
  expect(forbidden.status).toBe(403);
});
