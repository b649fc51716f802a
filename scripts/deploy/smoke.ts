import { createHmac, randomUUID } from "node:crypto";

/**
 * The deployment smoke suite, black-box through the published proxy port only:
 * health with the replica up, admin login, a category and a product created
 * through the admin API, register, browse, search, cart, checkout with the test
 * card, and one signed webhook delivery to a receiver this process runs on an
 * address the workers can reach (`webhookHost`). Used by deploy:test against
 * the compose stack and against the Swarm stack. Throws on the first failure.
 */
export interface SmokeTarget {
  /** e.g. https://127.0.0.1:18443 */
  baseUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** Address of this host as the workers' containers see it (a bridge gateway). */
  webhookHost: string;
  /**
   * The full /health report from an app instance's own port (the public port
   * may answer only `{status}`), to check every dependency and the replica.
   */
  fullHealth?: () => Promise<Json>;
}

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** fetch through the proxy; the local certificate is self-signed. */
async function call(
  t: SmokeTarget,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers: { "content-type": "application/json", ...opts.headers },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    tls: { rejectUnauthorized: false },
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = text ? (JSON.parse(text) as Json) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

function expectStatus(what: string, got: { status: number; json: Json }, ...want: number[]): Json {
  if (!want.includes(got.status))
    throw new Error(
      `${what}: HTTP ${got.status} (want ${want.join("/")}): ${JSON.stringify(got.json).slice(0, 400)}`,
    );
  return got.json;
}

async function poll<T>(
  what: string | (() => string),
  fn: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await Bun.sleep(250);
  }
  throw new Error(`smoke: timed out waiting for ${typeof what === "function" ? what() : what}`);
}

interface Delivery {
  body: string;
  headers: Headers;
}

/** A webhook receiver on 0.0.0.0 (port 0); deliveries are kept in order. */
function startReceiver(): { port: number; deliveries: Delivery[]; stop: () => void } {
  const deliveries: Delivery[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "0.0.0.0",
    async fetch(req) {
      deliveries.push({ body: await req.text(), headers: req.headers });
      return new Response("ok");
    },
  });
  return { port: server.port ?? 0, deliveries, stop: () => server.stop(true) };
}

/** Runs every step; resolves with the step timings, throws on the first failure. */
export async function runSmoke(t: SmokeTarget): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const v = await fn();
    timings[name] = Math.round(performance.now() - t0);
    console.log(`  ok  ${name} (${timings[name]} ms)`);
    return v;
  };
  const run = randomUUID().slice(0, 8);
  const receiver = startReceiver();
  try {
    let lastHealth: unknown;
    await step("health with the replica up", () =>
      // A just-deployed stack converges (workers reconnecting, replica catching up): poll.
      poll(
        () => `/health ok, every dependency and the replica up (last: ${JSON.stringify(lastHealth)})`,
        async () => {
          const pub = await call(t, "GET", "/health");
          lastHealth = pub.json;
          if (pub.status !== 200 || pub.json.status !== "ok") return undefined;
          const full = t.fullHealth ? await t.fullHealth() : pub.json;
          lastHealth = full;
          if (full.status !== "ok") return undefined;
          const checks = full.checks as
            | (Record<string, { status?: string }> & { replicas?: { status: string }[] })
            | undefined;
          if (t.fullHealth) {
            if (["database", "redis", "queue", "search"].some((k) => checks?.[k]?.status !== "up"))
              return undefined;
            if (!checks?.replicas?.length) return undefined;
          }
          if (checks?.replicas && !checks.replicas.every((r) => r.status === "up")) return undefined;
          return true;
        },
        90_000,
      ),
    );
    const admin = await step("admin login", async () => {
      const body = { email: t.adminEmail, password: t.adminPassword };
      const j = expectStatus("admin login", await call(t, "POST", "/api/auth/login", { body }), 200);
      return { authorization: `Bearer ${String(j.access_token)}` };
    });
    const secret = `whsec-${randomUUID()}`;
    await step("webhook endpoint", async () => {
      const url = `http://${t.webhookHost}:${receiver.port}/hook/${run}`;
      const body = { url, events: ["order.placed"], secret };
      expectStatus(
        "create webhook",
        await call(t, "POST", "/api/admin/webhooks", { body, headers: admin }),
        201,
      );
    });
    const slug = `smoke-${run}`;
    const sku = `SMOKE-${run}`;
    const word = `zephyrwidget${run.replace(/[^a-z]/g, "")}`;
    await step("admin creates a category and a product", async () => {
      const cat = { slug, name: `Smoke ${run}` };
      expectStatus(
        "create category",
        await call(t, "POST", "/api/admin/categories", { body: cat, headers: admin }),
        201,
      );
      const product = {
        title: `Smoke ${word}`,
        slug,
        description: `deployment smoke test ${word}`,
        brand: "Smoke",
        category: slug,
        variants: [{ sku, title: "one", price: { amount: 1999, currency: "USD" }, stock: 50 }],
      };
      expectStatus(
        "create product",
        await call(t, "POST", "/api/admin/products", { body: product, headers: admin }),
        201,
      );
    });
    const user = await step("register", async () => {
      const body = { email: `smoke-${run}@example.com`, password: `pw-${randomUUID()}`, name: "Smoke" };
      const j = expectStatus("register", await call(t, "POST", "/api/auth/register", { body }), 201);
      return { authorization: `Bearer ${String(j.access_token)}` };
    });
    await step("browse", async () => {
      const list = expectStatus("list", await call(t, "GET", `/api/catalog/products?category=${slug}`), 200);
      if ((list.items as unknown[]).length !== 1)
        throw new Error(`category list: ${JSON.stringify(list).slice(0, 300)}`);
      const p = expectStatus("product", await call(t, "GET", `/api/catalog/products/${slug}`), 200);
      const variants = p.variants as { sku: string; stock_status: string }[];
      if (variants[0]?.sku !== sku || variants[0]?.stock_status !== "in_stock")
        throw new Error(`product: ${JSON.stringify(p)}`);
    });
    await step("search", () =>
      poll("the product in search results", async () => {
        const r = await call(t, "GET", `/api/search?q=${word}`);
        const items = (r.json.items as { slug?: string }[] | undefined) ?? [];
        return r.status === 200 && items.some((i) => i.slug === slug) ? true : undefined;
      }),
    );
    const cartToken = await step("cart", async () => {
      const cart = expectStatus("create cart", await call(t, "POST", "/api/cart", { headers: user }), 201);
      const token = String(cart.token);
      const add = { body: { sku, quantity: 2 }, headers: { ...user, "x-cart-token": token } };
      const withItem = expectStatus("add item", await call(t, "POST", "/api/cart/items", add), 200, 201);
      const total = (withItem.totals as { subtotal: { amount: number } }).subtotal.amount;
      if (total !== 3998) throw new Error(`cart subtotal ${total}, want 3998`);
      return token;
    });
    const orderId = await step("checkout with tok_visa", async () => {
      const body = {
        shipping_address: {
          name: "Smoke",
          line1: "1 Main St",
          city: "Springfield",
          postal_code: "12345",
          country: "US",
        },
        payment: { method: "test_card", token: "tok_visa" },
      };
      const headers = { ...user, "x-cart-token": cartToken, "idempotency-key": randomUUID() };
      const order = expectStatus("checkout", await call(t, "POST", "/api/checkout", { body, headers }), 201);
      return String(order.id);
    });
    await step("signed webhook delivery", async () => {
      const d = await poll("the order.placed webhook", async () =>
        receiver.deliveries.find((x) => x.body.includes(orderId)),
      );
      const ts = d.headers.get("x-webhook-timestamp") ?? "";
      const want = `v1=${createHmac("sha256", secret).update(`${ts}.${d.body}`).digest("hex")}`;
      if (d.headers.get("x-webhook-signature") !== want) throw new Error("webhook signature does not verify");
      if ((JSON.parse(d.body) as { type?: string }).type !== "order.placed")
        throw new Error(`webhook body ${d.body}`);
    });
    return timings;
  } finally {
    receiver.stop();
  }
}
