import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { userWithToken } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { adminEventsModule } from "./admin-routes.ts";
import { blockedAddressReason, checkWebhookUrl, type Resolver } from "./webhook-url.ts";

// bun applies the preload's default timeout to the first file of a run only; these tests
// hash passwords, start processes or fuzz, and take seconds on a loaded machine.
setDefaultTimeout(60_000);

// Every URL here must be refused at registration, whatever the notation.
const refused: [string, string][] = [
  ["http://127.0.0.1:9180/metrics", "loopback"],
  ["http://127.1/", "loopback"],
  ["http://2130706433/", "loopback"],
  ["http://0x7f000001/", "loopback"],
  ["http://0x7f.0.0.1/", "loopback"],
  ["http://0177.0.0.1/", "loopback"],
  ["http://017700000001/", "loopback"],
  ["http://127.000.000.001/", "loopback"],
  ["http://127.0.0.1./", "loopback"],
  ["http://%31%32%37.0.0.1/", "loopback"],
  ["http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", "loopback"], // full-width digits
  ["http://0x7f.0x0.0x0.0x1/", "loopback"],
  ["http://[::1]/", "loopback"],
  ["http://[0:0:0:0:0:0:0:1]/", "loopback"],
  ["http://[::ffff:127.0.0.1]/", "IPv4-mapped"],
  ["http://[::ffff:7f00:1]/", "IPv4-mapped"],
  ["http://[::ffff:10.0.0.1]/", "IPv4-mapped"],
  ["http://[0:0:0:0:0:ffff:127.0.0.1]/", "IPv4-mapped"],
  ["http://[::ffff:0:7f00:1]/", "IPv4-translated"],
  ["http://[::127.0.0.1]/", "IPv4-compatible"],
  ["http://[64:ff9b::7f00:1]/", "NAT64"],
  ["http://[2002:7f00:1::]/", "6to4"],
  ["http://0.0.0.0/", "unspecified"],
  ["http://0/", "unspecified"],
  ["http://[::]/", "unspecified"],
  ["http://10.0.0.1/", "private"],
  ["http://172.16.5.4/", "private"],
  ["http://192.168.1.1/", "private"],
  ["http://169.254.169.254/latest/meta-data/", "link-local"],
  ["http://[fe80::1]/", "link-local"],
  ["http://100.64.0.1/", "CGNAT"],
  ["http://[fc00::1]/", "ULA"],
  ["http://[fd12:3456::1]/", "ULA"],
  ["http://224.0.0.1/", "multicast"],
  ["http://[ff02::1]/", "multicast"],
  ["http://255.255.255.255/", "broadcast"],
  ["http://240.0.0.1/", "reserved"],
  ["https://localhost:8443/", "loopback"], // resolved by DNS (/etc/hosts)
];

describe("address rules", () => {
  test.each(refused)("%s is refused (%s)", async (url, kind) => {
    const r = await checkWebhookUrl(url, { allowPrivate: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(kind);
  });

  test("public addresses pass", () => {
    for (const a of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "93.184.216.34"])
      expect(blockedAddressReason(a)).toBeNull();
  });

  test("a name is refused when any of its addresses is private", async () => {
    const resolve: Resolver = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.1.2.3", family: 4 },
    ];
    const r = await checkWebhookUrl("https://hooks.example.test/x", { allowPrivate: false, resolve });
    expect(r).toMatchObject({ ok: false, unresolved: false });
  });

  test("WEBHOOKS_ALLOW_PRIVATE lets local receivers through; other schemes never pass", async () => {
    expect((await checkWebhookUrl("http://127.0.0.1:1234/", { allowPrivate: true })).ok).toBe(true);
    expect((await checkWebhookUrl("file:///etc/passwd", { allowPrivate: true })).ok).toBe(false);
  });
});

describe("registration", () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp({ modules: [adminEventsModule] });
    admin = (await userWithToken(t, "admin")).headers;
  });
  afterAll(() => t.close());

  const register = (url: string) =>
    t.request("/api/admin/webhooks", { method: "POST", headers: admin, json: { url, events: ["*"] } });

  test.each(refused)("POST %s → 422 naming url", async (url) => {
    const res = await register(url);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(["url"]);
  });

  test("nothing refused was stored; a public URL is accepted", async () => {
    expect((await t.database.sql`select count(*)::int as n from webhook_endpoints`)[0]!.n).toBe(0);
    expect((await register("https://93.184.216.34/hook")).status).toBe(201);
  });

  test("WEBHOOKS_ALLOW_PRIVATE=1 in the config accepts a local receiver", async () => {
    const dev = await createTestApp({ modules: [adminEventsModule], env: { WEBHOOKS_ALLOW_PRIVATE: "1" } });
    try {
      const headers = (await userWithToken(dev, "admin")).headers;
      const res = await dev.request("/api/admin/webhooks", {
        method: "POST",
        headers,
        json: { url: "http://127.0.0.1:9/hook", events: ["*"] },
      });
      expect(res.status).toBe(201);
    } finally {
      await dev.close();
    }
  });
});
