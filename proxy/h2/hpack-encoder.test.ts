import { describe, expect, test } from "bun:test";
import hpack from "hpack.js";
import type { Field } from "./hpack.ts";
import { encodedBound, HpackEncoder } from "./hpack-encoder.ts";

/** hpack.js's decoder as the client: one per connection, so its dynamic table follows ours. */
function client() {
  const d = hpack.decompressor.create({ table: { maxSize: 4096 } });
  return (block: Buffer): Field[] => {
    d.write(block);
    d.execute();
    const out: Field[] = [];
    for (let f = d.read(); f; f = d.read()) out.push([f.name, f.value]);
    return out;
  };
}

function block(enc: HpackEncoder, head: string): Buffer {
  // The head sits inside a larger buffer, as in the engine's scratch.
  const buf = Buffer.from(`xx${head}\r\n\r\nbody`, "latin1");
  const out = Buffer.alloc(encodedBound(head.length));
  return out.subarray(0, enc.encode(buf, 2, 2 + head.length, out, 0));
}

const head = (id: string) =>
  [
    "HTTP/1.1 200 OK",
    "Content-Type: application/json",
    "Date: Tue, 01 Dec 2026 06:56:30 GMT",
    "Content-Length: 174",
    "Connection: keep-alive",
    "X-Content-Type-Options: nosniff",
    "Content-Security-Policy: default-src 'self'; img-src 'self' data:",
    `X-Request-Id: ${id}`,
    "Set-Cookie: a=1",
    "Set-Cookie: b=2",
  ].join("\r\n");

const fields = (id: string): Field[] => [
  [":status", "200"],
  ["content-type", "application/json"],
  ["date", "Tue, 01 Dec 2026 06:56:30 GMT"],
  ["content-length", "174"],
  ["x-content-type-options", "nosniff"],
  ["content-security-policy", "default-src 'self'; img-src 'self' data:"],
  ["x-request-id", id],
  ["set-cookie", "a=1"],
  ["set-cookie", "b=2"],
];

describe("HpackEncoder", () => {
  test("an HTTP/1 head becomes a block any decoder reads; hop-by-hop fields dropped", () => {
    const read = client();
    expect(read(block(new HpackEncoder(), head("abc")))).toEqual(fields("abc"));
    expect(
      read(block(new HpackEncoder(), `HTTP/1.1 418 I'm a teapot\r\nX-Long: ${"z".repeat(3000)}`)),
    ).toEqual([
      [":status", "418"],
      ["x-long", "z".repeat(3000)],
    ]);
  });

  test("repeated lines become indexes into the table the client keeps in step", () => {
    const enc = new HpackEncoder();
    const read = client();
    const first = block(enc, head("id-1"));
    expect(read(first)).toEqual(fields("id-1"));
    const second = block(enc, head("id-2"));
    expect(read(second)).toEqual(fields("id-2"));
    // Indexed: type, date, nosniff, CSP; literals: length, the request id, the cookies.
    expect(second.length).toBeLessThan(first.length / 2);
    expect(second.length).toBeLessThan(60);
    // Set-Cookie is "never indexed" (0001 pattern), whatever the table holds.
    expect(second.includes(Buffer.from([0x10 | 0x0f, 55 - 15]))).toBe(true);
  });

  test("a table that keeps evicting stays in step with the client", () => {
    const enc = new HpackEncoder();
    const read = client();
    for (let i = 0; i < 400; i++) {
      const h = `HTTP/1.1 404 Not Found\r\nX-Tag: value-${i % 150}-${"v".repeat(i % 40)}\r\nContent-Type: text/plain`;
      expect(read(block(enc, h))).toEqual([
        [":status", "404"],
        ["x-tag", `value-${i % 150}-${"v".repeat(i % 40)}`],
        ["content-type", "text/plain"],
      ]);
    }
  });

  test("remembered head starts and per-response lines stay exact across kinds, table changes and spacing", () => {
    const enc = new HpackEncoder();
    const read = client();
    // Fewer kinds than the encoder keeps runs of (they are reused), then more (they miss).
    const kinds = ["text/a", "text/b", "text/c", "text/d", "text/e", "text/f", "text/g", "text/h", "text/i"];
    for (let i = 0; i < 600; i++) {
      const type = kinds[(i * 7) % (i < 300 ? 3 : kinds.length)]!;
      // Every 50th head brings a new date (an insertion that moves every index); some
      // have lines after the request id; one in 10 has spaces around the id to trim.
      const date = `Tue, 01 Dec 2026 06:56:${String(Math.floor(i / 50)).padStart(2, "0")} GMT`;
      const id = i % 10 === 3 ? ` id-${i}  ` : `id-${i}`;
      // Every 5th head also adds a new entry to the table, moving the indexes of the others.
      const after = i % 5 === 4 ? [`X-Seq: ${i}`] : i % 3 === 0 ? [`Vary: Accept-Encoding`] : [];
      const h = [
        `HTTP/1.1 200 OK`,
        `Content-Type: ${type}`,
        `Date: ${date}`,
        `X-Request-Id: ${id}`,
        ...after,
      ].join("\r\n");
      expect(read(block(enc, h))).toEqual([
        [":status", "200"],
        ["content-type", type],
        ["date", date],
        ["x-request-id", id.trim()],
        ...after.map(
          (l): Field => (l.startsWith("X-Seq") ? ["x-seq", String(i)] : ["vary", "Accept-Encoding"]),
        ),
      ]);
    }
  });

  test("a smaller table from the client is signalled first and then respected", () => {
    const enc = new HpackEncoder();
    const read = client();
    expect(read(block(enc, head("a")))).toEqual(fields("a"));
    enc.peerTableSize(0);
    const b1 = block(enc, head("b"));
    expect(b1[0]).toBe(0x20); // dynamic table size update to 0
    expect(read(b1)).toEqual(fields("b"));
    // Nothing is indexed any more: the next block is the same size minus the update byte.
    expect(block(enc, head("c")).length).toBe(b1.length - 1);
  });
});
