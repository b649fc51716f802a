import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import net from "node:net";
import { createTestDatabase, type TestDatabase } from "../db/testing.ts";
import { until } from "../platform/testing/until.ts";
import { seedFixture } from "./catalog/test-support.ts";
import type { RouteModule } from "./core/deps.ts";
import { startAppProcess } from "./testing/app-process.ts";
import { createTestApp, type TestApp } from "./testing/harness.ts";

// Real services and processes: more than bun's 5 s default (the preload's default reaches only the first file).
setDefaultTimeout(60_000);

/**
 * Promises of the app shell (server/app.ts, server/main.ts): the 1 MiB body
 * limit, 500s that carry the request id and no internals, readiness while
 * draining, and in-flight requests finishing on SIGTERM.
 */
const MiB = 1024 * 1024;
const SECRET = "db password is hunter2";

/** Test-only routes: one that reads its body, one that fails. */
const probes: RouteModule = (app) => {
  app.post("/api/test/echo-size", async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  app.get("/api/test/explode", () => {
    throw new Error(`${SECRET} (at /srv/app/server/secret-path.ts:12)`);
  });
};

let t: TestApp;
let draining = false;
beforeAll(async () => {
  // The real modules plus two test-only routes.
  t = await createTestApp({ extraModules: [probes], isDraining: () => draining });
});
afterAll(() => t.close());

describe("request bodies over 1 MiB", () => {
  test("exactly 1 MiB is accepted; one byte more is a 413 problem", async () => {
    const ok = await t.request("/api/test/echo-size", { method: "POST", body: new Uint8Array(MiB) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ bytes: MiB });
    const big = await t.request("/api/test/echo-size", { method: "POST", body: new Uint8Array(MiB + 1) });
    expect(big.status).toBe(413);
    expect(big.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await big.json()) as { status: number; type: string };
    expect(problem.status).toBe(413);
    expect(problem.type).toContain("payload-too-large");
  });

  test("a streamed body without Content-Length is cut off at 1 MiB too", async () => {
    const chunk = new Uint8Array(256 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * MiB) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await t.request("/api/test/echo-size", {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  test("applies to the real routes, e.g. a 2 MiB JSON body to the cart", async () => {
    const res = await t.request("/api/cart/items", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sku: "x".repeat(2 * MiB), quantity: 1 }),
    });
    expect(res.status).toBe(413);
  });
});

describe("unexpected errors", () => {
  test("a 500 carries the request id (header and body) and nothing of the error or its stack", async () => {
    const res = await t.request("/api/test/explode", { headers: { "x-request-id": "req-500-check" } });
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.headers.get("x-request-id")).toBe("req-500-check");
    const text = await res.text();
    const body = JSON.parse(text) as { status: number; type: string; request_id: string };
    expect(body.status).toBe(500);
    expect(body.request_id).toBe("req-500-check");
    for (const leak of [SECRET, "secret-path", "Error:", "    at ", ".ts:"]) expect(text).not.toContain(leak);
  });

  test("without an incoming id the generated one is in both places", async () => {
    const res = await t.request("/api/test/explode");
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as { request_id: string }).request_id).toBe(id!);
  });
});

describe("readiness", () => {
  test("/readyz is 200 with the database up and 503 while draining; /healthz stays 200", async () => {
    expect((await t.request("/readyz")).status).toBe(200);
    draining = true;
    try {
      const res = await t.request("/readyz");
      expect(res.status).toBe(503);
      expect(((await res.json()) as { status: string }).status).toBe("draining");
      expect((await t.request("/healthz")).status).toBe(200);
    } finally {
      draining = false;
    }
  });
});

describe("SIGTERM on an app process", () => {
  let d: TestDatabase;
  beforeAll(async () => {
    d = await createTestDatabase("drain");
    // Products to list: an empty list page can be answered without reading `products` at all (the
    // in-process search index picks no ids), so only a non-empty one is sure to wait on the lock below.
    await seedFixture(d.sql);
  });
  afterAll(() => d.drop());

  test("an in-flight request finishes with its answer; new connections are refused; exit code 0", async () => {
    const app = await startAppProcess({ DATABASE_URL: d.url, DATABASE_REPLICA_URLS: "" });
    const locker = await d.sql.reserve();
    try {
      // An idle keep-alive connection (it has served one request), to see what draining does to it.
      const idle = net.connect(app.port, "127.0.0.1");
      const idleClosed = new Promise<void>((r) => idle.on("close", () => r()));
      idle.on("error", () => {});
      let idleData = "";
      idle.on("data", (chunk) => {
        idleData += chunk.toString("utf8");
      });
      idle.write("GET /healthz HTTP/1.1\r\nHost: app\r\n\r\n");
      await until(
        async () => idleData.includes('{"status":"ok"}'),
        "the keep-alive connection's first answer",
      );
      // Hold the request inside its handler: the page comes from `products` (Postgres list) or its
      // items from `product_items` (the index's list), and both wait on our lock.
      await locker`begin`;
      await locker`lock table products, product_items in access exclusive mode`;
      // A raw connection, so no client-side retry or pooling can blur what the server did.
      let settled = false;
      const inFlight = rawGet(app.port, "/api/catalog/products").then((answer) => {
        settled = true;
        return answer;
      });
      // Barrier: the app reports two requests in flight (ours, held, and this /metrics one).
      await until(async () => {
        const text = await (await fetch(`${app.base}/metrics`)).text();
        return /^http_requests_in_flight 2$/m.test(text);
      }, "the request to be in flight");

      app.proc.kill("SIGTERM");
      await until(
        () =>
          fetch(`${app.base}/healthz`).then(
            () => false,
            () => true,
          ),
        "new connections to be refused",
      );
      await idleClosed;
      expect(settled).toBe(false);
      expect(app.proc.exitCode).toBeNull();

      await locker`commit`;
      const answer = await inFlight;
      expect(answer).toStartWith("HTTP/1.1 200");
      expect(answer).toContain('"slug":"pixel-phone"');
      expect(await app.proc.exited).toBe(0);
    } finally {
      locker.release();
      await app.kill();
    }
  });
});

/** Sends one GET on a fresh connection and resolves with everything the server sent until it closed. */
function rawGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n`);
    });
    socket.on("data", (chunk) => {
      data += chunk.toString("utf8");
    });
    socket.on("close", () => resolve(data));
    socket.on("error", reject);
  });
}
