import { expect, test } from "bun:test";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import {
  encodeV1,
  encodeV2,
  type ProxyAddresses,
  type ProxyHeaderResult,
  parseProxyHeader,
  V1_MAX_BYTES,
  V2_MAX_BYTES,
} from "./proxy-protocol.ts";

/** The PROXY protocol parser (issue 19): spec vectors, strictness, and fuzzing. */

const latin = (s: string) => Buffer.from(s, "latin1");
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const ok = (r: ProxyHeaderResult) => {
  if (r.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r;
};

test("v1: TCP4, TCP6 (canonicalised) and UNKNOWN, followed by the client's bytes", () => {
  const r = ok(parseProxyHeader(latin("PROXY TCP4 203.0.113.7 10.0.0.1 56324 443\r\nGET / HTTP/1.1\r\n")));
  expect(r).toEqual({
    kind: "ok",
    version: 1,
    length: 43,
    addresses: { sourceIp: "203.0.113.7", sourcePort: 56324, destIp: "10.0.0.1", destPort: 443 },
  });
  const six = ok(parseProxyHeader(latin("PROXY TCP6 2001:DB8:0:0::7 2001:db8::1 1 65535\r\n")));
  expect(six.addresses).toEqual({
    sourceIp: "2001:db8::7",
    sourcePort: 1,
    destIp: "2001:db8::1",
    destPort: 65535,
  });
  expect(ok(parseProxyHeader(latin("PROXY TCP6 ::ffff:198.51.100.2 ::1 5 6\r\n"))).addresses?.sourceIp).toBe(
    "198.51.100.2",
  );
  expect(ok(parseProxyHeader(latin("PROXY UNKNOWN\r\n"))).addresses).toBeNull();
  expect(ok(parseProxyHeader(latin("PROXY UNKNOWN ffff:f::1 ffff:f::2 1 2\r\n"))).length).toBe(39);
});

test("v1: strict — anything off the spec is invalid, a prefix is incomplete", () => {
  const bad = [
    "GET / HTTP/1.1\r\n",
    "PROXY TCP4 203.0.113.7 10.0.0.1 56324 443\n",
    "PROXY TCP4 203.0.113.7 10.0.0.1 56324 443\rX",
    "PROXY  TCP4 203.0.113.7 10.0.0.1 1 2\r\n",
    "PROXY TCP4 203.0.113.7 10.0.0.1 1 2 \r\n",
    "PROXY TCP5 203.0.113.7 10.0.0.1 1 2\r\n",
    "PROXY TCP4 2001:db8::1 10.0.0.1 1 2\r\n",
    "PROXY TCP6 203.0.113.7 2001:db8::1 1 2\r\n",
    "PROXY TCP4 203.0.113.07 10.0.0.1 1 2\r\n",
    "PROXY TCP4 256.0.0.1 10.0.0.1 1 2\r\n",
    "PROXY TCP4 203.0.113.7 10.0.0.1 65536 2\r\n",
    "PROXY TCP4 203.0.113.7 10.0.0.1 01 2\r\n",
    "PROXY TCP4 203.0.113.7 10.0.0.1 -1 2\r\n",
    "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n",
    "PROXY TCP4 203.0.113.7\t10.0.0.1 1 2\r\n",
    "proxy TCP4 203.0.113.7 10.0.0.1 1 2\r\n",
  ];
  for (const b of bad) expect(parseProxyHeader(latin(b)).kind, b).toBe("invalid");
  for (const p of ["P", "PROXY", "PROXY TCP4 203.0.113.7", "PROXY TCP4 203.0.113.7 10.0.0.1 1 2\r"])
    expect(parseProxyHeader(latin(p)).kind, p).toBe("incomplete");
  // No CRLF within the spec's 107 bytes: too long, however the bytes arrive.
  expect(parseProxyHeader(latin(`PROXY UNKNOWN ${"x".repeat(V1_MAX_BYTES)}`)).kind).toBe("invalid");
  expect(parseProxyHeader(latin(`PROXY UNKNOWN ${"x".repeat(V1_MAX_BYTES - 16)}`)).kind).toBe("incomplete");
});

test("v2: the spec's layout for IPv4 and IPv6, TLVs skipped, LOCAL and UNSPEC use the peer", () => {
  const sig = "0d0a0d0a000d0a515549540a";
  const four = hex(`${sig} 21 11 000c cb007107 0a000001 dc04 01bb`);
  expect(ok(parseProxyHeader(Buffer.concat([four, latin("GET")])))).toEqual({
    kind: "ok",
    version: 2,
    length: 28,
    addresses: { sourceIp: "203.0.113.7", sourcePort: 56324, destIp: "10.0.0.1", destPort: 443 },
  });
  const six = hex(
    `${sig} 21 21 0024 20010db8000000000000000000000007 20010db8000000000000000000000001 0001 ffff`,
  );
  expect(ok(parseProxyHeader(six)).addresses).toEqual({
    sourceIp: "2001:db8::7",
    sourcePort: 1,
    destIp: "2001:db8::1",
    destPort: 65535,
  });
  // A TLV (type 0x04 NOOP, 3 bytes) after the addresses is part of the header.
  const tlv = hex(`${sig} 21 11 0012 cb007107 0a000001 dc04 01bb 04 0003 000000`);
  expect(ok(parseProxyHeader(tlv)).length).toBe(34);
  expect(ok(parseProxyHeader(hex(`${sig} 20 00 0000`))).addresses).toBeNull();
  // LOCAL with an address block: the block is ignored, the peer stands.
  expect(ok(parseProxyHeader(hex(`${sig} 20 11 000c cb007107 0a000001 dc04 01bb`))).addresses).toBeNull();
  expect(ok(parseProxyHeader(hex(`${sig} 21 00 0000`))).addresses).toBeNull();
});

test("v2: strict — version, command, family, transport, short blocks, oversize", () => {
  const sig = "0d0a0d0a000d0a515549540a";
  const bad = [
    `${sig} 11 11 000c cb007107 0a000001 dc04 01bb`, // version 1 in the binary form
    `${sig} 22 11 000c cb007107 0a000001 dc04 01bb`, // command 2
    `${sig} 21 12 000c cb007107 0a000001 dc04 01bb`, // UDP over IPv4
    `${sig} 21 41 000c cb007107 0a000001 dc04 01bb`, // family 4
    `${sig} 21 11 0008 cb007107 0a000001`, // IPv4 block cut short
    `${sig} 21 21 000c cb007107 0a000001 dc04 01bb`, // IPv6 family, IPv4-sized block
    "0d0a0d0a000d0a515549540b 21 11 000c cb007107 0a000001 dc04 01bb", // signature off by one bit
  ];
  for (const b of bad) expect(parseProxyHeader(hex(b)).kind, b).toBe("invalid");
  const tooLong = hex(`${sig} 21 11 ${(V2_MAX_BYTES - 15).toString(16).padStart(4, "0")}`);
  expect(parseProxyHeader(tooLong)).toEqual({ kind: "invalid", reason: "v2: header too long" });
  expect(parseProxyHeader(hex(`${sig} 21 11 000c cb00`)).kind).toBe("incomplete");
  expect(parseProxyHeader(hex("0d0a0d")).kind).toBe("incomplete");
  expect(parseProxyHeader(new Uint8Array(0)).kind).toBe("incomplete");
});

const ipv4 = fc.ipV4();
const ipv6 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
  .map((g) => g.map((x) => x.toString(16)).join(":"));
const portArb = fc.integer({ min: 0, max: 65535 });
const addressesArb = (ip: fc.Arbitrary<string>) =>
  fc.record<ProxyAddresses>({ sourceIp: ip, sourcePort: portArb, destIp: ip, destPort: portArb });

test("fuzz: encode → parse round-trips for both versions and families, fed in any split", () => {
  fc.assert(
    fc.property(
      fc.oneof(addressesArb(ipv4), addressesArb(ipv6)),
      fc.boolean(),
      fc.uint8Array({ maxLength: 64 }),
      fc.nat(),
      (a, v2, rest, cut) => {
        const head = v2 ? encodeV2(a) : encodeV1(a);
        const all = Buffer.concat([head, rest]);
        const r = ok(parseProxyHeader(all));
        expect(r.length).toBe(head.length);
        const parsed = r.addresses!;
        expect([parsed.sourcePort, parsed.destPort]).toEqual([a.sourcePort, a.destPort]);
        // Same address, whatever spelling went in (v4-mapped v6 comes back as v4).
        expect(ipBytes(parsed.sourceIp)).toEqual(ipBytes(a.sourceIp));
        // Every strict prefix of a header is incomplete, never invalid or ok.
        const k = cut % head.length;
        expect(parseProxyHeader(head.subarray(0, k)).kind).toBe("incomplete");
      },
    ),
    { numRuns: 2000, seed: 19 },
  );
});

test("fuzz: arbitrary bytes never throw, and an ok header never claims more than was given or allowed", () => {
  const junk = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.concat([latin("PROXY "), b])),
    fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.concat([hex("0d0a0d0a000d0a515549540a"), b])),
    fc
      .tuple(fc.constantFrom("TCP4", "TCP6", "UNKNOWN", "tcp4", ""), fc.array(fc.string(), { maxLength: 6 }))
      .map(([p, words]) => latin(`PROXY ${p} ${words.join(" ")}\r\n`)),
  );
  fc.assert(
    fc.property(junk, (buf) => {
      const r = parseProxyHeader(buf);
      if (r.kind === "ok") {
        expect(r.length).toBeLessThanOrEqual(buf.length);
        expect(r.length).toBeLessThanOrEqual(Math.max(V1_MAX_BYTES, V2_MAX_BYTES));
      }
      if (r.kind === "incomplete") expect(buf.length).toBeLessThan(V2_MAX_BYTES);
    }),
    { numRuns: 5000, seed: 19 },
  );
});

/** The 4 or 16 bytes of an address (IPv4-mapped IPv6 as its IPv4). */
function ipBytes(ip: string): number[] {
  return ipaddr.process(ip).toByteArray();
}
