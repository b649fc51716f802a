import type postgres from "postgres";

/** One request of the load and how it ended. */
export interface Sample {
  kind: "browse" | "product" | "search" | "cart" | "checkout" | "cancel";
  method: string;
  startedAt: number;
  endedAt: number;
  /** HTTP status, or 0 when the request failed without a response. */
  status: number;
  error?: string;
}

/** A signed-in shopper of the load. */
interface Shopper {
  token: string;
}

export interface LoadFixture {
  shoppers: Shopper[];
  slugs: string[];
  skus: string[];
  words: string[];
}

const address = {
  name: "Chaos Buyer",
  line1: "1 Fault Lane",
  city: "Springfield",
  postal_code: "12345",
  country: "US",
};

/** Registers shoppers through the proxy and picks products and SKUs (with ample stock) for the load. */
export async function prepareLoad(
  sql: postgres.Sql,
  baseUrl: string,
  shoppers: number,
): Promise<LoadFixture> {
  const tag = Date.now().toString(36);
  const out: Shopper[] = [];
  for (let i = 0; i < shoppers; i++) {
    const res = await fetch(`${baseUrl}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: `chaos-${tag}-${i}@example.com`,
        password: "chaos-password-1",
        name: `Shopper ${i}`,
      }),
    });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
    out.push({ token: ((await res.json()) as { access_token: string }).access_token });
  }
  const products = await sql<{ slug: string; title: string }[]>`
    select slug, title from products where status = 'active' order by id limit 200`;
  const skus = await sql<{ sku: string }[]>`
    select v.sku from variants v join products p on p.id = v.product_id
    where p.status = 'active' order by v.sku limit 20`;
  // Plenty of stock: a sold-out SKU would be a 409 the load could not tell from a fault.
  await sql`update inventory set quantity = 1000000 where sku = any(${skus.map((s) => s.sku)})`;
  const words = [
    ...new Set(products.flatMap((p) => p.title.toLowerCase().split(/\W+/)).filter((w) => w.length > 3)),
  ];
  return {
    shoppers: out,
    slugs: products.map((p) => p.slug),
    skus: skus.map((s) => s.sku),
    words: words.slice(0, 50),
  };
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/**
 * Mixed load through the proxy until `stop()`: browsing, product pages,
 * search, anonymous carts, and checkouts by signed-in shoppers (one in ten
 * placed orders is then cancelled, so stock comes back too). Every request is
 * recorded as a Sample.
 */
export function runLoad(baseUrl: string, fx: LoadFixture, workers: number) {
  const samples: Sample[] = [];
  let running = true;

  async function call(kind: Sample["kind"], method: string, path: string, init: RequestInit = {}) {
    const startedAt = Date.now();
    try {
      const res = await fetch(`${baseUrl}${path}`, { ...init, method, signal: AbortSignal.timeout(30_000) });
      const body = await res.text();
      samples.push({ kind, method, startedAt, endedAt: Date.now(), status: res.status });
      return { status: res.status, body };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      samples.push({ kind, method, startedAt, endedAt: Date.now(), status: 0, error });
      return { status: 0, body: "" };
    }
  }

  async function checkout(shopper: Shopper) {
    const auth = { authorization: `Bearer ${shopper.token}`, "content-type": "application/json" };
    const add = await call("cart", "POST", "/api/cart/items", {
      headers: auth,
      body: JSON.stringify({ sku: pick(fx.skus), quantity: 1 + Math.floor(Math.random() * 2) }),
    });
    if (add.status !== 200 && add.status !== 201) return;
    const placed = await call("checkout", "POST", "/api/checkout", {
      headers: { ...auth, "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({
        shipping_address: address,
        payment: { method: "test_card", token: "tok_visa" },
      }),
    });
    if (placed.status === 201 && Math.random() < 0.1) {
      const { id } = JSON.parse(placed.body) as { id: string };
      await call("cancel", "POST", `/api/orders/${id}/cancel`, { headers: auth });
    }
  }

  async function anonymousCart() {
    const created = await call("cart", "POST", "/api/cart");
    if (created.status !== 201) return;
    const { token } = JSON.parse(created.body) as { token: string };
    const headers = { "x-cart-token": token, "content-type": "application/json" };
    await call("cart", "POST", "/api/cart/items", {
      headers,
      body: JSON.stringify({ sku: pick(fx.skus), quantity: 1 }),
    });
    await call("cart", "GET", "/api/cart", { headers: { "x-cart-token": token } });
  }

  async function worker(i: number) {
    const shopper = fx.shoppers[i % fx.shoppers.length]!;
    while (running) {
      const r = Math.random();
      if (r < 0.35)
        await call(
          "browse",
          "GET",
          `/api/catalog/products?page_size=20&page=${1 + Math.floor(Math.random() * 5)}`,
        );
      else if (r < 0.55) await call("product", "GET", `/api/catalog/products/${pick(fx.slugs)}`);
      else if (r < 0.7) await call("search", "GET", `/api/search?q=${encodeURIComponent(pick(fx.words))}`);
      else if (r < 0.8) await anonymousCart();
      else await checkout(shopper);
    }
  }

  const loops = Array.from({ length: workers }, (_, i) => worker(i));
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
