import { afterAll, expect, test } from "bun:test";
import type { Socket } from "bun";
import { killAll, spawnUpstream, startTestProxy, testConfig, waitFor } from "./testing/helpers.ts";

/**
 * Issue 11 item 7: slow request bodies. Small bodies are read before an
 * upstream connection is taken, every body has a deadline and a minimum rate,
 * and the proxy caps the requests in flight. Real sockets throughout.
 */
afterAll(killAll);

/** A client connection that records what it got back and whether it was closed. */
interface Probe {
  sock: Socket<undefined>;
  got: string;
  closed: boolean;
}

async function open(port: number): Promise<Probe> {
  const probe = { got: "", closed: false } as Probe;
  probe.sock = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_s, d) {
        probe.got += Buffer.from(d).toString("latin1");
      },
      close() {
        probe.closed = true;
      },
    },
  });
  return probe;
}

test("300 slow uploads: other clients are still served, the slow ones get 408 and are closed", async () => {
  const up = await spawnUpstream("a");
  const p = await startTestProxy(
    testConfig([up], {
      // Few upstream sockets, so uploads holding one each would starve everyone else.
      pool: { maxPerUpstream: 50, maxIdlePerUpstream: 50 },
      timeouts: { bodyMs: 5000, bodyMinRate: 0 },
      limits: { maxConnsPerIp: 0 },
    }),
  );
  const slow: Probe[] = [];
  const trickle = setInterval(() => {
    for (const s of slow) if (!s.closed) s.sock.write("x");
  }, 100);
  try {
    for (let i = 0; i < 300; i++) {
      const probe = await open(p.port);
      probe.sock.write("POST /api/echo HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 1000\r\n\r\nx");
      slow.push(probe);
    }
    // Every upload is under way (none answered yet); other clients are served meanwhile.
    // (Before the fix: the uploads past the pool cap were already refused with 502 here.)
    expect(slow.filter((s) => s.got !== "" || s.closed)).toHaveLength(0);
    const others = await Promise.all(
      Array.from({ length: 40 }, () => fetch(`http://127.0.0.1:${p.port}/api/who`).then((r) => r.status)),
    );
    expect(others).toEqual(Array.from({ length: 40 }, () => 200));
    // The slow ones reach their deadline: 408, then the connection closes.
    await waitFor(() => slow.every((s) => s.closed), 15_000);
    expect(slow.filter((s) => s.got.startsWith("HTTP/1.1 408 "))).toHaveLength(300);
    // And the proxy still serves.
    expect((await fetch(`http://127.0.0.1:${p.port}/api/who`)).status).toBe(200);
  } finally {
    clearInterval(trickle);
    for (const s of slow) s.sock.terminate();
    await p.stop(1000);
    await up.kill();
  }
}, 30_000);

test("a large streamed body under the minimum rate gets 408 long before its deadline", async () => {
  const up = await spawnUpstream("a");
  const p = await startTestProxy(
    testConfig([up], { timeouts: { bodyMs: 600_000, bodyMinRate: 100, bodyMinRateAfterMs: 300 } }),
  );
  const probe = await open(p.port);
  const trickle = setInterval(() => probe.closed || probe.sock.write("x"), 100);
  try {
    // Above PROXY_BUFFER_BODY_BYTES: streamed to the upstream as it comes.
    probe.sock.write("POST /api/echo HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 1000000\r\n\r\n");
    await waitFor(() => probe.closed, 10_000);
    expect(probe.got).toStartWith("HTTP/1.1 408 ");
  } finally {
    clearInterval(trickle);
    probe.sock.terminate();
    await p.stop(1000);
    await up.kill();
  }
});

test("the in-flight cap answers 503 with Retry-After, and frees up as requests end", async () => {
  const up = await spawnUpstream("a");
  const p = await startTestProxy(testConfig([up], { limits: { maxInFlight: 5 } }));
  const base = `http://127.0.0.1:${p.port}`;
  try {
    const held = Array.from({ length: 5 }, () => fetch(`${base}/api/slow?ms=1500`).then((r) => r.status));
    await waitFor(async () => {
      const r = await fetch(`http://127.0.0.1:${up.port}/api/hits`);
      return ((await r.json()) as { slowSeen: number }).slowSeen >= 5;
    });
    const refused = await fetch(`${base}/api/who`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await Promise.all(held)).toEqual([200, 200, 200, 200, 200]);
    expect((await fetch(`${base}/api/who`)).status).toBe(200);
  } finally {
    await p.stop(1000);
    await up.kill();
  }
});
