import { afterAll, expect, test } from "bun:test";
import fc from "fast-check";
import {
  ChunkedParser,
  HttpParseError,
  headEnd,
  parseRequestHead,
  parseResponseHead,
  responseFraming,
} from "./http1.ts";
import { killAll, rawExchange, spawnUpstream, startTestProxy, testConfig } from "./testing/helpers.ts";

/**
 * Property-based fuzzing of the head parsers (fast-check, fixed seed, bounded
 * runs): byte mutations of valid heads are accepted or refused with an
 * HttpParseError (4xx/501 for requests, 502 for responses), never anything
 * else; then a few hundred mutated requests through a live proxy socket, after
 * which it still serves. A failing case prints its seed and path to replay.
 */
afterAll(killAll);

const SEED = 20261201;

const requestHeads = [
  "GET /api/products?q=shoe HTTP/1.1\r\nHost: shop.test\r\nAccept: */*\r\n\r\n",
  "POST /api/auth/login HTTP/1.1\r\nHost: shop.test\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n",
  "PUT /api/cart/items/1 HTTP/1.1\r\nHost: shop.test\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer a.b.c\r\n\r\n",
  "GET /index.html HTTP/1.0\r\nX-Forwarded-For: 10.0.0.1, 10.0.0.2\r\nConnection: keep-alive\r\n\r\n",
  "GET /api/ws HTTP/1.1\r\nHost: shop.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nX-Request-Id: abc-123\r\n\r\n",
  "POST /api/orders HTTP/1.1\r\nHost: shop.test\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n",
];

const responseHeads = [
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n",
  "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=b\r\n\r\n",
  'HTTP/1.0 304 Not Modified\r\nETag: "x"\r\nConnection: close\r\n\r\n',
  "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
  "HTTP/1.1 502\r\nContent-Length: 0\r\nKeep-Alive: timeout=5\r\n\r\n",
];

/** Fragments that matter to HTTP framing, inserted among random bytes. */
const tokens = [
  "\r",
  "\n",
  "\r\n",
  " ",
  "\t",
  ":",
  "\0",
  "\x7f",
  "\xff",
  ",",
  "Transfer-Encoding: chunked\r\n",
  "Transfer-Encoding: gzip, chunked\r\n",
  "Content-Length: 5\r\n",
  "Content-Length: -1\r\n",
  "Content-Length: 1, 2\r\n",
  "Content-Length: 99999999999999999999\r\n",
  "Host: a\r\n",
  " folded\r\n",
  "HTTP/1.1",
  "/../",
  "%00",
];

type Mutation =
  | { kind: "set"; at: number; byte: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; len: number }
  | { kind: "duplicate"; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
);

/** Applies mutations to a head (positions taken modulo its current length). */
function mutate(head: string, mutations: Mutation[]): Buffer {
  let b = Buffer.from(head, "latin1");
  for (const m of mutations) {
    const at = b.length ? m.at % b.length : 0;
    if (m.kind === "set") {
      b = Buffer.from(b);
      b[at] = m.byte;
    } else if (m.kind === "insert")
      b = Buffer.concat([b.subarray(0, at), Buffer.from(m.text, "latin1"), b.subarray(at)]);
    else if (m.kind === "delete") b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
    else b = Buffer.concat([b.subarray(0, at + m.len), b.subarray(at, at + m.len), b.subarray(at + m.len)]);
  }
  return b;
}

const mutatedHead = (heads: string[]) =>
  fc
    .tuple(fc.constantFrom(...heads), fc.array(mutation, { minLength: 1, maxLength: 6 }))
    .map(([h, ms]) => mutate(h, ms));

/** Runs `parse`; an HttpParseError must carry an allowed status, any other throw fails the property. */
function acceptsOrRefuses(parse: () => void, allowed: (status: number) => boolean): void {
  try {
    parse();
  } catch (err) {
    if (!(err instanceof HttpParseError)) throw err;
    if (!allowed(err.status)) throw new Error(`status ${err.status}: ${err.message}`);
  }
}

const clientError = (s: number) => (s >= 400 && s < 500) || s === 501;

test("request heads: mutations are accepted or refused with 4xx/501, nothing else", () => {
  let accepted = 0;
  fc.assert(
    fc.property(mutatedHead(requestHeads), (buf) => {
      const end = headEnd(buf);
      if (end < 0) return; // incomplete: the engine waits (bounded by the head size and timeout)
      acceptsOrRefuses(() => {
        const head = parseRequestHead(buf, end);
        // Everything the engine reads from an accepted head works too.
        void head.target;
        void head.path;
        void head.host;
        void head.field("authorization");
        void head.framing;
        accepted++;
      }, clientError);
    }),
    { seed: SEED, numRuns: 4000 },
  );
  // The corpus is not mutated out of recognition: some heads still pass.
  expect(accepted).toBeGreaterThan(100);
});

test("response heads: mutations are accepted or refused with 502, nothing else", () => {
  let accepted = 0;
  fc.assert(
    fc.property(mutatedHead(responseHeads), fc.constantFrom("GET", "HEAD", "POST"), (buf, method) => {
      const end = headEnd(buf);
      if (end < 0) return;
      acceptsOrRefuses(
        () => {
          const head = parseResponseHead(buf, end);
          responseFraming(head, method);
          accepted++;
        },
        (s) => s === 502,
      );
    }),
    { seed: SEED, numRuns: 4000 },
  );
  expect(accepted).toBeGreaterThan(100);
});

test("chunked bodies: mutations are decoded or refused with 4xx", () => {
  const body = "5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\n";
  fc.assert(
    fc.property(mutatedHead([body]), fc.integer({ min: 1, max: 16 }), (buf, step) => {
      const parser = new ChunkedParser();
      acceptsOrRefuses(() => {
        // Fed in pieces, as sockets deliver it.
        for (let at = 0; at < buf.length; at += step)
          if (parser.feed(buf.subarray(at, at + step), 0) >= 0) break;
      }, clientError);
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

test("a live proxy answers a few hundred mutated requests with no 5xx of its own, then still serves", async () => {
  const up = await spawnUpstream("a");
  const p = await startTestProxy(
    testConfig([up], { timeouts: { headerMs: 500, bodyMs: 500, bodyMinRate: 0 } }),
  );
  try {
    const samples = fc.sample(mutatedHead(requestHeads), { seed: SEED, numRuns: 300 });
    const outcomes: string[] = [];
    for (let i = 0; i < samples.length; i += 50) {
      const batch = samples.slice(i, i + 50).map(async (bytes) => {
        const raw = await rawExchange(p.port, bytes, 10_000);
        if (raw.startsWith("HTTP/1.1 500"))
          console.error("FUZZ500", JSON.stringify(bytes.toString("latin1")));
        return raw.slice(0, 12);
      });
      outcomes.push(...(await Promise.all(batch)));
    }
    // Every one ended (an answer or a close); none with a 500 (a proxy fault).
    expect(outcomes).toHaveLength(300);
    expect(outcomes.filter((o) => o.startsWith("HTTP/1.1 500"))).toEqual([]);
    expect(outcomes.some((o) => o.startsWith("HTTP/1.1 400"))).toBe(true);
    const ok = await fetch(`http://127.0.0.1:${p.port}/api/who`);
    expect(ok.status).toBe(200);
  } finally {
    await p.stop(1000);
    await up.kill();
  }
}, 60_000);
