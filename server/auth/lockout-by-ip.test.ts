import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { authModule } from "./routes.ts";
import { MAX_ATTEMPTS } from "./throttle.ts";

// bun applies the preload's default timeout to the first file of a run only; these tests
// hash passwords, start processes or fuzz, and take seconds on a loaded machine.
setDefaultTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ modules: [authModule] });
});
afterAll(() => t.close());

// What the proxy sends: the client's own list (anything it likes), then the peer address it saw.
const from = (peer: string, spoofed?: string) => ({
  "X-Forwarded-For": spoofed ? `${spoofed}, ${peer}` : peer,
  "X-Real-IP": peer,
});
const login = (email: string, password: string, headers: Record<string, string>) =>
  t.request("/api/auth/login", { method: "POST", headers, json: { email, password } });

test("a third party guessing from elsewhere cannot lock the customer out", async () => {
  const email = `victim.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const reg = await t.request("/api/auth/register", {
    method: "POST",
    json: { email, password: "customer-pw-1", name: "Victim" },
  });
  expect(reg.status).toBe(201);
  const attacker = from("198.51.100.66");
  for (let i = 0; i < MAX_ATTEMPTS; i++)
    expect((await login(email, `guess-${i}`, attacker)).status).toBe(401);
  // The attacker's address is throttled, even with the right password...
  const locked = await login(email, "customer-pw-1", attacker);
  expect(locked.status).toBe(429);
  expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  // ...and so is the attacker claiming another address in front of the real one...
  expect((await login(email, "guess-x", from("198.51.100.66", "203.0.113.10"))).status).toBe(429);
  // ...while the customer, from their own address, still signs in.
  const customer = await login(email, "customer-pw-1", from("203.0.113.10"));
  expect(customer.status).toBe(200);
  // The same address written as IPv4-mapped IPv6 is the same client.
  expect((await login(email, "customer-pw-1", from("::ffff:198.51.100.66"))).status).toBe(429);
});
