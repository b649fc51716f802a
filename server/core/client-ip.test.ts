import { expect, test } from "bun:test";
import { Hono } from "hono";
import { clientIp } from "./client-ip.ts";

const app = new Hono();
app.get("/ip", (c) => c.text(clientIp(c)));
const ipOf = async (headers: Record<string, string>) => (await app.request("/ip", { headers })).text();

test("the last X-Forwarded-For entry (the one our proxy appended) is the client", async () => {
  expect(await ipOf({ "X-Forwarded-For": "198.51.100.7" })).toBe("198.51.100.7");
  // Whatever the client sent comes first; the proxy's own entry is last.
  expect(await ipOf({ "X-Forwarded-For": "10.0.0.1, 203.0.113.9,198.51.100.7" })).toBe("198.51.100.7");
  expect(await ipOf({ "X-Forwarded-For": "::ffff:198.51.100.7" })).toBe("198.51.100.7");
  expect(await ipOf({ "X-Forwarded-For": "2001:db8::1" })).toBe("2001:db8::1");
  expect(await ipOf({ "X-Forwarded-For": "198.51.100.7, not-an-ip" })).toBe("unknown");
  expect(await ipOf({ "X-Real-IP": "198.51.100.8" })).toBe("198.51.100.8");
  expect(await ipOf({})).toBe("unknown");
});

test("without forwarding headers the socket's peer address is used", async () => {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
  try {
    expect(await (await fetch(`http://127.0.0.1:${server.port}/ip`)).text()).toBe("127.0.0.1");
  } finally {
    server.stop(true);
  }
});
