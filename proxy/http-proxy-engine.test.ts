import { afterAll, expect, test } from "bun:test";
import { killAll, spawnUpstream, startTestProxy, testConfig } from "./testing/helpers.ts";

/** The comparison engine (`PROXY_ENGINE=http-proxy`) still balances, adds headers and serves static files. */
afterAll(killAll);

test("http-proxy engine forwards with balancing and security headers, serves the storefront", async () => {
  const ups = await Promise.all(["a", "b"].map((n) => spawnUpstream(n)));
  const p = await startTestProxy(testConfig(ups, { engine: "http-proxy" }));
  try {
    const base = `http://127.0.0.1:${p.port}`;
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await fetch(`${base}/api/who`);
      expect(r.status).toBe(200);
      expect(r.headers.get("x-content-type-options")).toBe("nosniff");
      expect(r.headers.get("server")).toBeNull();
      names.add(((await r.json()) as { name: string }).name);
    }
    expect(names).toEqual(new Set(["a", "b"]));
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<!doctype html>");
    await Promise.all(ups.map((u) => u.kill()));
    const down = await fetch(`${base}/api/who`);
    expect(down.status).toBe(502);
  } finally {
    await p.stop(1000);
    await Promise.all(ups.map((u) => u.kill()));
  }
});
