import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeDevCert } from "./dev-cert.ts";
import {
  freePort,
  killAll,
  rawExchange,
  spawnUpstream,
  startTestProxy,
  testConfig,
  track,
  waitFor,
  watchJsonLines,
} from "./testing/helpers.ts";

/** Operations: SIGTERM drain and SIGHUP reload of the real `bun proxy/main.ts` process, TLS, admin metrics. */
afterAll(killAll);

const tmp = mkdtempSync(join(tmpdir(), "proxy-ops-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Starts `bun proxy/main.ts` on ports picked just before (its settings take no
 * port 0); when one was taken in the meantime the process exits and it is
 * started again on others.
 */
async function spawnProxy(env: Record<string, string>) {
  for (let attempt = 1; ; attempt++) {
    const port = freePort();
    const adminPort = freePort();
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "main.ts")], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        LOG_LEVEL: "info",
        PROXY_PORT: String(port),
        PROXY_ADMIN_PORT: String(adminPort),
        PROXY_HOST: "127.0.0.1",
        PROXY_RATE_LIMIT: "off",
        PROXY_ACCESS_LOG: "off",
        PROXY_HEALTH_INTERVAL_MS: "200",
        PROXY_WORKERS: "1",
        ...env,
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    track(proc);
    const logs = watchJsonLines(proc, [proc.stdout, proc.stderr]);
    try {
      await logs.waitFor((l) => l.msg === "proxy listening");
      return { proc, port, adminPort, logs };
    } catch (err) {
      proc.kill(9);
      if (attempt >= 3) throw err;
    }
  }
}

/** True once a connection to `port` is refused. */
async function refuses(port: number): Promise<boolean> {
  try {
    const s = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
    s.end();
    return false;
  } catch {
    return true;
  }
}

const upstreamHits = async (port: number) =>
  (await (await fetch(`http://127.0.0.1:${port}/api/hits`)).json()) as {
    slowSeen: number;
    hangSeen: number;
    hangClosed: number;
  };

describe("operations", () => {
  test("SIGTERM drains: the in-flight request finishes, new connections are refused, exit 0", async () => {
    const up = await spawnUpstream("a");
    const { proc, port } = await spawnProxy({ PROXY_UPSTREAMS: `127.0.0.1:${up.port}` });
    const inflight = fetch(`http://127.0.0.1:${port}/api/slow?ms=1500`);
    await waitFor(async () => (await upstreamHits(up.port)).slowSeen > 0);
    proc.kill("SIGTERM");
    // The listener closes while the request is still in flight (it takes 1.5 s upstream).
    await waitFor(() => refuses(port));
    expect(await upstreamHits(up.port)).toMatchObject({ slowSeen: 1 });
    const r = await inflight;
    expect(r.status).toBe(200);
    expect(((await r.json()) as { slow: boolean }).slow).toBe(true);
    expect(await proc.exited).toBe(0);
    await up.kill();
  });

  test("SIGTERM forces the drain after SHUTDOWN_TIMEOUT_MS: a request that never ends is cut, exit 0", async () => {
    const up = await spawnUpstream("a");
    const { proc, port, logs } = await spawnProxy({
      PROXY_UPSTREAMS: `127.0.0.1:${up.port}`,
      SHUTDOWN_TIMEOUT_MS: "300",
    });
    const hanging = fetch(`http://127.0.0.1:${port}/api/hang`).then(
      (r) => `status ${r.status}`,
      () => "connection closed",
    );
    await waitFor(async () => (await upstreamHits(up.port)).hangSeen === 1);
    proc.kill("SIGTERM");
    // Exit 0 is the drain's own end: the process's last-resort timer would exit 1.
    expect(await proc.exited).toBe(0);
    expect(await hanging).toBe("connection closed");
    expect(logs.lines.some((l) => l.msg === "drain timed out; exiting")).toBe(false);
    // The proxy closed its upstream connection too.
    await waitFor(async () => (await upstreamHits(up.port)).hangClosed === 1);
    await up.kill();
  });

  test("SIGHUP reloads upstreams from PROXY_CONFIG_FILE without dropping a kept-alive connection", async () => {
    const a = await spawnUpstream("a");
    const b = await spawnUpstream("b");
    const file = join(tmp, "proxy.json");
    writeFileSync(file, JSON.stringify({ upstreams: [{ host: "127.0.0.1", port: a.port, weight: 1 }] }));
    const { proc, port, logs } = await spawnProxy({ PROXY_CONFIG_FILE: file });
    // One TCP connection used before and after the reload.
    const received: string[] = [];
    const sock = await Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: { data: (_s, d) => void received.push(Buffer.from(d).toString()) },
    });
    const ask = async () => {
      const before = received.length;
      sock.write("GET /api/who HTTP/1.1\r\nHost: x\r\n\r\n");
      await waitFor(() => received.length > before && received.join("").includes("}"));
      const text = received.splice(0).join("");
      return /"name":"(\w+)"/.exec(text)?.[1];
    };
    expect(await ask()).toBe("a");
    writeFileSync(file, JSON.stringify({ upstreams: [{ host: "127.0.0.1", port: b.port, weight: 1 }] }));
    proc.kill("SIGHUP");
    await waitFor(
      async () =>
        ((await (await fetch(`http://127.0.0.1:${port}/api/who`)).json()) as { name: string }).name === "b",
    );
    expect(await ask()).toBe("b");
    // A broken file keeps the running configuration.
    writeFileSync(file, "{ not json");
    proc.kill("SIGHUP");
    // Asserted once the proxy has said it processed (and refused) the reload.
    await logs.waitFor((l) => l.msg === "reload failed; keeping the running configuration");
    expect(await ask()).toBe("b");
    expect(logs.lines.filter((l) => l.msg === "configuration reloaded")).toHaveLength(1);
    sock.end();
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    await a.kill();
    await b.kill();
  });

  test("HTTPS listener with HSTS; plain HTTP redirects to HTTPS", async () => {
    const up = await spawnUpstream("a");
    const { cert, key } = makeDevCert(join(tmp, "certs"));
    const p = await startTestProxy(
      testConfig([up], { tls: { certFile: cert, keyFile: key, redirectHttp: true } }),
    );
    try {
      const r = await fetch(`https://127.0.0.1:${p.tlsPort}/api/headers`, {
        tls: { rejectUnauthorized: false },
      });
      expect(r.status).toBe(200);
      expect(r.headers.get("strict-transport-security")).toContain("max-age=");
      expect(((await r.json()) as Record<string, string>)["x-forwarded-proto"]).toBe("https");
      const big = await fetch(`https://127.0.0.1:${p.tlsPort}/api/big`, {
        tls: { rejectUnauthorized: false },
      });
      expect(((await big.json()) as { items: unknown[] }).items).toHaveLength(400);
      const redirect = await rawExchange(
        p.port,
        "GET /api/who?x=1 HTTP/1.1\r\nHost: shop.local:8080\r\nConnection: close\r\n\r\n",
      );
      expect(redirect).toStartWith("HTTP/1.1 301");
      expect(redirect).toContain(`Location: https://shop.local:${p.tlsPort}/api/who?x=1`);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("the redirect names the public HTTPS port (443 published for the listener's own port: no port at all)", async () => {
    const up = await spawnUpstream("a");
    const { cert, key } = makeDevCert(join(tmp, "certs"));
    const p = await startTestProxy(
      testConfig([up], { tls: { certFile: cert, keyFile: key, redirectHttp: true, publicPort: 443 } }),
    );
    try {
      const redirect = await rawExchange(
        p.port,
        "GET /api/who?x=1 HTTP/1.1\r\nHost: shop.local:80\r\nConnection: close\r\n\r\n",
      );
      expect(redirect).toStartWith("HTTP/1.1 301");
      expect(redirect).toContain("Location: https://shop.local/api/who?x=1\r\n");
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("admin /metrics reports requests by upstream and status, latency, health and pools", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      for (let i = 0; i < 3; i++) await (await fetch(`http://127.0.0.1:${p.port}/api/who`)).arrayBuffer();
      await (await fetch(`http://127.0.0.1:${p.port}/api/status/503`)).arrayBuffer();
      const text = await (await fetch(`http://127.0.0.1:${p.adminPort}/metrics`)).text();
      const id = `127.0.0.1:${up.port}`;
      expect(text).toContain(`proxy_requests_total{upstream="${id}",status="200"} 3`);
      expect(text).toContain(`proxy_requests_total{upstream="${id}",status="503"} 1`);
      expect(text).toContain(`proxy_request_duration_seconds_count{upstream="${id}"} 4`);
      expect(text).toContain(`proxy_upstream_healthy{upstream="${id}"} 1`);
      expect(text).toMatch(/proxy_upstream_pool_idle\{upstream="[^"]+"\} 1/);
      const status = (await (await fetch(`http://127.0.0.1:${p.adminPort}/upstreams`)).json()) as {
        id: string;
      }[];
      expect(status[0]!.id).toBe(id);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("per-IP connection cap", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up], { limits: { maxConnsPerIp: 2 } }));
    try {
      const hold = await Promise.all(
        [1, 2].map(() => Bun.connect({ hostname: "127.0.0.1", port: p.port, socket: { data() {} } })),
      );
      await waitFor(() => p.core.metrics.clientConnections === 2);
      const third = await rawExchange(p.port, "GET /api/who HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(third).toStartWith("HTTP/1.1 429");
      for (const s of hold) s.end();
      await waitFor(() => p.core.metrics.clientConnections === 0);
      const ok = await rawExchange(p.port, "GET /api/who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      expect(ok).toStartWith("HTTP/1.1 200");
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });
});
