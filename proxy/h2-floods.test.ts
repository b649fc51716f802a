import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProxyOverrides } from "./config.ts";
import { makeDevCert } from "./dev-cert.ts";
import type { ProxyHandle } from "./server.ts";
import {
  closedWithin,
  frame,
  getBlock,
  h2Request,
  h2Session,
  junkField,
  PREFACE,
  rawH2,
} from "./testing/h2.ts";
import { killAll, spawnUpstream, startTestProxy, type TestUpstream, testConfig } from "./testing/helpers.ts";

/**
 * Issue 18 item 5: the HTTP/2 flood protections, with hand-written frames over
 * a real TLS connection. Each flood must get its connection cut while the
 * proxy stays up and another client is served; what the app saw is checked
 * through the upstream's own hit counter.
 */
const certs = makeDevCert(join(mkdtempSync(join(tmpdir(), "h2f-")), "certs"));
let up: TestUpstream;
beforeAll(async () => {
  up = await spawnUpstream("a");
});
afterAll(killAll);

const HEADERS = 1;
const RST_STREAM = 3;
const SETTINGS = 4;
const PING = 6;
const CONTINUATION = 9;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;

async function withProxy(over: ProxyOverrides, run: (p: ProxyHandle) => Promise<void>) {
  const p = await startTestProxy(
    testConfig([up], { tls: { certFile: certs.cert, keyFile: certs.key, redirectHttp: false }, ...over }),
  );
  try {
    await run(p);
  } finally {
    await p.stop(1000);
  }
}

/** Another client, on its own connection, gets its answer. */
async function otherClientServed(p: ProxyHandle): Promise<number> {
  const s = await h2Session(p.tlsPort!);
  try {
    return (await h2Request(s, "/api/who")).status;
  } finally {
    s.destroy();
  }
}

const cutCount = async (p: ProxyHandle, reason: string) => {
  const text = p.core.metrics.render();
  const m = new RegExp(`proxy_h2_connections_cut_total\\{reason="${reason}"\\} (\\d+)`).exec(text);
  return m ? Number(m[1]) : 0;
};

test("rapid reset (CVE-2023-44487): streams opened and cancelled in a burst cut the connection", async () => {
  await withProxy({}, async (p) => {
    const sock = await rawH2(p.tlsPort!);
    sock.on("error", () => {});
    const burst: Buffer[] = [PREFACE, frame(SETTINGS, 0, 0)];
    for (let i = 0; i < 2000; i++) {
      const id = 1 + 2 * i;
      burst.push(frame(HEADERS, END_STREAM | END_HEADERS, id, getBlock("/api/slow?ms=2000")));
      burst.push(frame(RST_STREAM, 0, id, Buffer.from([0, 0, 0, 8]))); // CANCEL
    }
    sock.write(Buffer.concat(burst));
    expect(await closedWithin(sock, 5000)).toBe(true);
    expect(await cutCount(p, "rapid-reset")).toBe(1);
    expect(await otherClientServed(p)).toBe(200);
    // The work those streams started upstream is bounded: far fewer than the 2000 opened.
    const s = await h2Session(p.tlsPort!);
    const hits = JSON.parse((await h2Request(s, "/api/hits")).body.toString()) as { slowSeen: number };
    s.destroy();
    expect(hits.slowSeen).toBeLessThan(300);
  });
});

test("CONTINUATION flood (CVE-2024-27316): a header block that never ends is cut by frames and by bytes", async () => {
  await withProxy({}, async (p) => {
    // Many small CONTINUATION frames.
    const sock = await rawH2(p.tlsPort!);
    sock.on("error", () => {});
    const flood: Buffer[] = [
      PREFACE,
      frame(SETTINGS, 0, 0),
      frame(HEADERS, END_STREAM, 1, getBlock("/api/who")),
    ];
    for (let i = 0; i < 5000; i++) flood.push(frame(CONTINUATION, 0, 1, junkField(`x-f${i}`, 8)));
    sock.write(Buffer.concat(flood));
    expect(await closedWithin(sock, 5000)).toBe(true);
    expect(await cutCount(p, "continuation-flood")).toBe(1);
    expect(await otherClientServed(p)).toBe(200);
  });
  await withProxy({ h2: { maxContinuations: 100_000 } as never }, async (p) => {
    // Few, large frames: the block's bytes are capped too.
    const sock = await rawH2(p.tlsPort!);
    sock.on("error", () => {});
    sock.write(
      Buffer.concat([PREFACE, frame(SETTINGS, 0, 0), frame(HEADERS, END_STREAM, 1, getBlock("/api/who"))]),
    );
    for (let i = 0; i < 200 && !sock.destroyed; i++) {
      sock.write(frame(CONTINUATION, 0, 1, junkField(`x-big-${i}`, 16_000)));
      await Bun.sleep(1);
    }
    expect(await closedWithin(sock, 5000)).toBe(true);
    expect(await cutCount(p, "continuation-flood")).toBe(1);
    expect(await otherClientServed(p)).toBe(200);
  });
});

test("control-frame flood (PING) cuts the connection; the proxy keeps serving", async () => {
  await withProxy({ h2: { maxControlPerSecond: 500 } as never }, async (p) => {
    const sock = await rawH2(p.tlsPort!);
    sock.on("error", () => {});
    const flood: Buffer[] = [PREFACE, frame(SETTINGS, 0, 0)];
    for (let i = 0; i < 5000; i++) flood.push(frame(PING, 0, 0, Buffer.alloc(8)));
    sock.write(Buffer.concat(flood));
    expect(await closedWithin(sock, 5000)).toBe(true);
    expect(await cutCount(p, "control-flood")).toBe(1);
    expect(await otherClientServed(p)).toBe(200);
  });
});

test("a client that never opens its window: the stalled response is reset after the send timeout", async () => {
  await withProxy({ h2: { sendTimeoutMs: 300 } as never }, async (p) => {
    const sock = await rawH2(p.tlsPort!);
    sock.on("error", () => {});
    // SETTINGS_INITIAL_WINDOW_SIZE = 0: the proxy may send no DATA at all.
    const settings = Buffer.from([0x00, 0x04, 0, 0, 0, 0]);
    sock.write(
      Buffer.concat([
        PREFACE,
        frame(SETTINGS, 0, 0, settings),
        frame(HEADERS, END_STREAM | END_HEADERS, 1, getBlock("/api/big")),
      ]),
    );
    let got = Buffer.alloc(0);
    sock.on("data", (d: Buffer) => {
      got = Buffer.concat([got, d]);
    });
    // RST_STREAM for stream 1 comes from the proxy once the send timeout passes.
    const deadline = Date.now() + 5000;
    const hasReset = () => {
      for (let at = 0; at + 9 <= got.length; ) {
        const len = got.readUIntBE(at, 3);
        if (got[at + 3] === RST_STREAM && got.readUInt32BE(at + 5) === 1) return true;
        at += 9 + len;
      }
      return false;
    };
    while (!hasReset() && Date.now() < deadline) await Bun.sleep(50);
    expect(hasReset()).toBe(true);
    sock.destroy();
    expect(await otherClientServed(p)).toBe(200);
  });
});

test("idle and slow heads: an empty connection kept alive with PINGs, and a header block left open, are closed", async () => {
  await withProxy({ timeouts: { clientIdleMs: 400, headerMs: 400 } as never }, async (p) => {
    const pinger = await rawH2(p.tlsPort!);
    pinger.on("error", () => {});
    pinger.write(Buffer.concat([PREFACE, frame(SETTINGS, 0, 0)]));
    const timer = setInterval(() => pinger.writable && pinger.write(frame(PING, 0, 0, Buffer.alloc(8))), 100);
    const slow = await rawH2(p.tlsPort!);
    slow.on("error", () => {});
    // HEADERS without END_HEADERS, then silence: the CONTINUATION never comes.
    slow.write(
      Buffer.concat([PREFACE, frame(SETTINGS, 0, 0), frame(HEADERS, END_STREAM, 1, getBlock("/api/who"))]),
    );
    try {
      expect(await closedWithin(pinger, 5000)).toBe(true);
      expect(await closedWithin(slow, 5000)).toBe(true);
    } finally {
      clearInterval(timer);
    }
    expect(await cutCount(p, "header-timeout")).toBe(1);
    expect(await otherClientServed(p)).toBe(200);
  });
});
