import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import fc from "fast-check";
import { seedFixture } from "./catalog/test-support.ts";
import { userWithToken } from "./testing/fixtures.ts";
import { createTestApp, type TestApp } from "./testing/harness.ts";

// bun applies the preload's default timeout to the first file of a run only; these tests
// hash passwords, start processes or fuzz, and take seconds on a loaded machine.
setDefaultTimeout(60_000);

/**
 * Property-based fuzzing of the validation of every JSON route of API.md,
 * through the whole in-process app (every module, as production mounts them)
 * on a real test database: arbitrary JSON bodies, keys of the real schema
 * with arbitrary values, broken JSON and arbitrary query strings and path
 * parameters. Whatever comes in, the answer is a 2xx-4xx (a 4xx being a
 * problem document), never a 5xx, never a crash and never a request that does
 * not finish.
 *
 * Reproducible and bounded: a fixed seed, a number of runs per route and a
 * time budget per route (FUZZ_RUNS / FUZZ_SEED / FUZZ_MS override them for a
 * longer local run). A failure prints the seed and the shrunk input.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const BUDGET_MS = Number(process.env.FUZZ_MS ?? 2000);
const REQUEST_DEADLINE_MS = 15_000;

type Who = "anyone" | "customer" | "admin";
interface Route {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** `:param` segments get generated values. */
  path: string;
  who: Who;
  /** Keys of the real body schema (generated bodies use them with arbitrary values); null = no body. */
  body: string[] | null;
  /** A valid body: generated bodies are often this one with a few parts replaced, so validation goes deep. */
  sample?: unknown;
  /** Query keys the route reads. */
  query?: string[];
  headers?: Record<string, string>;
}

const listQuery = ["page", "page_size"];
const productQuery = ["category", "brand", "min_price", "max_price", "in_stock", "sort", ...listQuery];
const address = ["name", "line1", "line2", "city", "postal_code", "country", "is_default"];
const product = ["title", "slug", "description", "brand", "category", "images", "variants"];
const productSample = {
  title: "Fuzz",
  description: "A thing",
  brand: "Acme",
  category: "phones",
  images: ["https://img.example.com/f.jpg"],
  variants: [{ sku: "FUZZ-1", title: "One", price: { amount: 100, currency: "USD" }, stock: 1 }],
};

const routes: Route[] = [
  { method: "GET", path: "/api/catalog/categories", who: "anyone", body: null },
  { method: "GET", path: "/api/catalog/products", who: "anyone", body: null, query: productQuery },
  { method: "GET", path: "/api/catalog/products/:slug", who: "anyone", body: null },
  { method: "GET", path: "/api/catalog/products/:slug/reviews", who: "anyone", body: null, query: listQuery },
  {
    method: "POST",
    path: "/api/catalog/products/:slug/reviews",
    who: "customer",
    body: ["rating", "title", "body"],
    sample: { rating: 4, title: "Nice", body: "Works well" },
  },
  { method: "GET", path: "/api/search", who: "anyone", body: null, query: ["q", ...productQuery] },
  { method: "GET", path: "/api/search/suggest", who: "anyone", body: null, query: ["q"] },
  {
    method: "POST",
    path: "/api/auth/register",
    who: "anyone",
    body: ["email", "password", "name"],
    sample: { email: "fuzz@example.com", password: "long-enough-1", name: "Fuzz" },
  },
  {
    method: "POST",
    path: "/api/auth/login",
    who: "anyone",
    body: ["email", "password"],
    sample: { email: "fuzz@example.com", password: "long-enough-1" },
  },
  { method: "POST", path: "/api/auth/refresh", who: "anyone", body: ["refresh_token"] },
  { method: "POST", path: "/api/auth/logout", who: "customer", body: ["refresh_token"] },
  { method: "GET", path: "/api/users/me", who: "customer", body: null },
  {
    method: "PATCH",
    path: "/api/users/me",
    who: "customer",
    body: ["name", "email", "password", "current_password"],
    sample: { name: "Fuzz", email: "fuzz.me@example.com", current_password: "x" },
  },
  { method: "GET", path: "/api/users/me/addresses", who: "customer", body: null, query: listQuery },
  {
    method: "POST",
    path: "/api/users/me/addresses",
    who: "customer",
    body: address,
    sample: { name: "A B", line1: "1 Main St", city: "Town", postal_code: "12345", country: "US" },
  },
  { method: "GET", path: "/api/users/me/addresses/:id", who: "customer", body: null },
  { method: "DELETE", path: "/api/users/me/addresses/:id", who: "customer", body: null },
  { method: "POST", path: "/api/cart", who: "anyone", body: [] },
  { method: "GET", path: "/api/cart", who: "anyone", body: null },
  {
    method: "POST",
    path: "/api/cart/items",
    who: "anyone",
    body: ["sku", "quantity"],
    sample: { sku: "PIX-128", quantity: 1 },
  },
  {
    method: "PATCH",
    path: "/api/cart/items/:id",
    who: "anyone",
    body: ["quantity"],
    sample: { quantity: 2 },
  },
  { method: "DELETE", path: "/api/cart/items/:id", who: "anyone", body: null },
  {
    method: "POST",
    path: "/api/checkout",
    who: "customer",
    body: ["shipping_address", "payment"],
    sample: {
      shipping_address: {
        name: "A B",
        line1: "1 Main St",
        city: "Town",
        postal_code: "12345",
        country: "US",
      },
      payment: { method: "test_card", token: "tok_visa" },
    },
    headers: { "Idempotency-Key": "fuzz-key" },
  },
  { method: "GET", path: "/api/orders", who: "customer", body: null, query: listQuery },
  { method: "GET", path: "/api/orders/:id", who: "customer", body: null },
  { method: "POST", path: "/api/orders/:id/cancel", who: "customer", body: [] },
  {
    method: "GET",
    path: "/api/admin/products",
    who: "admin",
    body: null,
    query: [...listQuery, "q", "status"],
  },
  { method: "POST", path: "/api/admin/products", who: "admin", body: product, sample: productSample },
  { method: "GET", path: "/api/admin/products/:id", who: "admin", body: null },
  { method: "PATCH", path: "/api/admin/products/:id", who: "admin", body: product, sample: productSample },
  { method: "DELETE", path: "/api/admin/products/:id", who: "admin", body: null },
  {
    method: "POST",
    path: "/api/admin/inventory/:sku/adjust",
    who: "admin",
    body: ["delta", "reason"],
    sample: { delta: 1, reason: "recount" },
  },
  { method: "GET", path: "/api/admin/categories", who: "admin", body: null },
  { method: "GET", path: "/api/admin/categories/:id", who: "admin", body: null },
  {
    method: "POST",
    path: "/api/admin/categories",
    who: "admin",
    body: ["slug", "name", "parent", "position"],
    sample: { slug: "fuzz", name: "Fuzz" },
  },
  {
    method: "PATCH",
    path: "/api/admin/categories/:id",
    who: "admin",
    body: ["slug", "name", "parent", "position"],
    sample: { name: "Fuzz" },
  },
  { method: "DELETE", path: "/api/admin/categories/:id", who: "admin", body: null },
  { method: "GET", path: "/api/admin/orders", who: "admin", body: null, query: [...listQuery, "status"] },
  {
    method: "POST",
    path: "/api/admin/orders/:id/transition",
    who: "admin",
    body: ["to"],
    sample: { to: "paid" },
  },
  { method: "GET", path: "/api/admin/webhooks", who: "admin", body: null },
  {
    method: "POST",
    path: "/api/admin/webhooks",
    who: "admin",
    body: ["url", "events", "secret"],
    sample: { url: "https://93.184.216.34/hook", events: ["order.paid"] },
  },
  { method: "DELETE", path: "/api/admin/webhooks/:id", who: "admin", body: null },
  { method: "GET", path: "/api/admin/webhooks/:id/deliveries", who: "admin", body: null, query: listQuery },
  {
    method: "GET",
    path: "/api/admin/dead-letters",
    who: "admin",
    body: null,
    query: [...listQuery, "include_replayed"],
  },
  { method: "POST", path: "/api/admin/dead-letters/:id/replay", who: "admin", body: [] },
  { method: "POST", path: "/api/admin/search/reindex", who: "admin", body: [] },
];

// Strings of every kind: ASCII, full Unicode, lone surrogates, NUL and control characters.
const hostileStrings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\r\n.\r\n",
  "\u001b[2J",
  "-1",
  "0",
  "1e309",
];
const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(...hostileStrings, "\u001b[2J", "0", "NaN", "null", "true", "9007199254740993"),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });
const anyValue = fc.oneof(anyJson, anyString, fc.constantFrom(-1, 0, 1, 2 ** 53, -(2 ** 31), 1.5, 1e308));

/** `sample` with some of its parts replaced by arbitrary values, dropped, or joined by unknown keys. */
function mutate(sample: unknown, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 3) return anyValue;
  if (Array.isArray(sample)) {
    const item = sample.length ? mutate(sample[0], depth + 1) : anyValue;
    return fc.oneof(fc.constant(sample), fc.array(item, { maxLength: 3 }), anyValue);
  }
  if (sample !== null && typeof sample === "object") {
    const entries = Object.entries(sample);
    const fields = entries.map(([, v]) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(v) },
        { weight: 2, arbitrary: mutate(v, depth + 1) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
    );
    const extra = fc.dictionary(anyString, anyValue, { maxKeys: 1 });
    return fc.tuple(fc.tuple(...fields), extra).map(([values, more]) => {
      const out: Record<string, unknown> = { ...more };
      entries.forEach(([k], i) => {
        if (values[i] !== undefined) out[k] = values[i];
      });
      return out;
    });
  }
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(sample) },
    { weight: 2, arbitrary: fc.constantFrom(...hostileStrings) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    { weight: 1, arbitrary: anyValue },
  );
}

function bodyArbitrary(keys: string[], sample: unknown): fc.Arbitrary<{ raw: string; contentType: string }> {
  const key = keys.length ? fc.oneof(fc.constantFrom(...keys), anyString) : anyString;
  const shaped = fc.dictionary(key, anyValue, { maxKeys: keys.length + 2 });
  const near = sample === undefined ? shaped : mutate(sample);
  const json = fc
    .oneof(
      { weight: 4, arbitrary: near },
      { weight: 2, arbitrary: shaped },
      { weight: 1, arbitrary: anyJson },
    )
    .map((v) => JSON.stringify(v) ?? "null");
  const broken = fc.oneof(anyString, fc.constantFrom("{", "[", '{"a":', "\uFEFF{}", "{}garbage"));
  return fc.oneof(
    { weight: 4, arbitrary: json.map((raw) => ({ raw, contentType: "application/json" })) },
    json.map((raw) => ({ raw, contentType: "application/problem+json; charset=utf-8" })),
    broken.map((raw) => ({ raw, contentType: "application/json" })),
    json.map((raw) => ({ raw, contentType: "text/plain" })),
  );
}

/** Percent-encodes; text with lone surrogates (no UTF-8 form) becomes invalid UTF-8 bytes instead. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.toWellFormed())}%ED%A0%80%FF`;
  }
}

function queryArbitrary(keys: string[]): fc.Arbitrary<string> {
  const key = keys.length ? fc.oneof(fc.constantFrom(...keys), anyString) : anyString;
  return fc
    .array(fc.tuple(key, anyString), { maxLength: 6 })
    .map((pairs) => pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&"));
}

let t: TestApp;
const tokens: Record<Who, Record<string, string>> = { anyone: {}, customer: {}, admin: {} };
let params: fc.Arbitrary<string>;

beforeAll(async () => {
  t = await createTestApp(); // every module, as an instance mounts them
  await seedFixture(t.database.sql);
  tokens.customer = (await userWithToken(t, "customer")).headers;
  tokens.admin = (await userWithToken(t, "admin")).headers;
  const cart = (await (await t.request("/api/cart", { method: "POST" })).json()) as { token: string };
  tokens.anyone = { "X-Cart-Token": cart.token };
  const [p] = await t.database.sql<{ id: string }[]>`select id from products order by id limit 1`;
  const [cat] = await t.database.sql<{ id: string }[]>`select id from categories order by id limit 1`;
  // Real ids and slugs next to arbitrary text, so that routes get past "not found" too.
  params = fc.oneof(
    fc.constantFrom("pixel-phone", "PIX-128", p!.id, cat!.id, "1", "0", "-1", crypto.randomUUID()),
    anyString.filter((s) => s.length > 0),
    fc.bigInt().map(String),
  );
});
afterAll(() => t.close());

async function send(
  route: Route,
  pathParams: string[],
  query: string,
  body: { raw: string; contentType: string } | null,
) {
  let i = 0;
  const path = route.path.replace(/:\w+/g, () => encode(pathParams[i++] ?? "x"));
  const headers: Record<string, string> = { ...tokens[route.who], ...route.headers };
  if (route.who !== "anyone") Object.assign(headers, tokens.anyone);
  if (body) headers["content-type"] = body.contentType;
  if (route.headers?.["Idempotency-Key"]) headers["Idempotency-Key"] = crypto.randomUUID();
  const request = Promise.resolve(
    t.app.request(`${path}${query ? `?${query}` : ""}`, { method: route.method, headers, body: body?.raw }),
  );
  let timer: Timer | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${REQUEST_DEADLINE_MS} ms`)),
      REQUEST_DEADLINE_MS,
    );
  });
  try {
    const res = await Promise.race([request, deadline]);
    await res.arrayBuffer();
    return { status: res.status, problem: (res.headers.get("content-type") ?? "").includes("problem+json") };
  } finally {
    clearTimeout(timer);
  }
}

describe("every JSON route answers arbitrary input with a 2xx-4xx", () => {
  for (const route of routes) {
    test(`${route.method} ${route.path}`, async () => {
      const pathCount = (route.path.match(/:\w+/g) ?? []).length;
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(
          fc.array(params, { minLength: pathCount, maxLength: pathCount }),
          route.query ? queryArbitrary(route.query) : fc.constant(""),
          route.body ? bodyArbitrary(route.body, route.sample) : fc.constant(null),
          async (pathParams, query, body) => {
            const { status, problem } = await send(route, pathParams, query, body);
            statuses.add(status);
            // Errors are problem documents (API.md); server errors never happen.
            return status >= 200 && status < 500 && (status < 400 || problem);
          },
        ),
        { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
      );
      // The property ran at all (the budget still leaves room for a first run).
      expect(statuses.size).toBeGreaterThan(0);
    });
  }
});
