import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * The PROXY protocol header (HAProxy's spec, versions 1 and 2): a load
 * balancer that passes TCP through writes it before the client's first byte,
 * naming the client's address. Pure and strict: the caller feeds the bytes
 * received so far and gets one of three answers; anything not exactly as the
 * spec says is `invalid` (the caller closes the connection), so a client can
 * never smuggle an address or make the proxy wait for more than a header's
 * worth of bytes.
 */

/** Longest version 1 header, CRLF included (the spec's 107). */
export const V1_MAX_BYTES = 107;
/**
 * Longest version 2 header accepted. The spec allows 16 + 65535; balancers
 * send the addresses plus a few TLVs (AWS VPC endpoint id, GCP PSC id, TLS
 * details), well under this.
 */
export const V2_MAX_BYTES = 16 + 2048;

/** v2 signature: `\r\n\r\n\0\r\nQUIT\n`. */
const V2_SIG = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_SIG = Buffer.from("PROXY ", "latin1");

/** Where the connection came from and went to, as the balancer saw it. */
export interface ProxyAddresses {
  sourceIp: string;
  sourcePort: number;
  destIp: string;
  destPort: number;
}

/** The outcome of parsing the bytes received so far. */
export type ProxyHeaderResult =
  | { kind: "incomplete" }
  | { kind: "invalid"; reason: string }
  /**
   * `length` bytes are the header; the rest is the client's. `addresses` is
   * null when the connection's own peer is to be used: v2 LOCAL (the
   * balancer's health check), v1 `UNKNOWN`, v2 with an unspecified or UNIX
   * address family.
   */
  | { kind: "ok"; version: 1 | 2; length: number; addresses: ProxyAddresses | null };

const INCOMPLETE: ProxyHeaderResult = { kind: "incomplete" };
const invalid = (reason: string): ProxyHeaderResult => ({ kind: "invalid", reason });

/** True while `buf` is still a prefix of `sig` (or starts with all of it). */
function matchesPrefix(buf: Uint8Array, sig: Uint8Array): boolean {
  const n = Math.min(buf.length, sig.length);
  for (let i = 0; i < n; i++) if (buf[i] !== sig[i]) return false;
  return true;
}

/** Parses a PROXY protocol header at the start of `buf` (v1 or v2, told apart by the signature). */
export function parseProxyHeader(buf: Uint8Array): ProxyHeaderResult {
  if (buf.length === 0) return INCOMPLETE;
  if (buf[0] === V1_SIG[0]) {
    if (!matchesPrefix(buf, V1_SIG)) return invalid("not a PROXY protocol header");
    return parseV1(buf);
  }
  if (buf[0] === V2_SIG[0]) {
    if (!matchesPrefix(buf, V2_SIG)) return invalid("not a PROXY protocol header");
    return parseV2(buf);
  }
  return invalid("not a PROXY protocol header");
}

/** A decimal port as v1 writes it: 0–65535, no sign, no leading zero. */
function v1Port(text: string): number {
  if (!/^(0|[1-9]\d{0,4})$/.test(text)) return -1;
  const n = Number(text);
  return n <= 65535 ? n : -1;
}

/** IPv6 in its canonical (RFC 5952) form; an IPv4-mapped one as the IPv4 address it is. */
function canonicalV6(addr: ipaddr.IPv6): string {
  return addr.isIPv4MappedAddress() ? addr.toIPv4Address().toString() : addr.toRFC5952String();
}

const V6_TEXT = /^[0-9A-Fa-f:.]+$/;

/** `PROXY TCP4|TCP6 src dst sport dport\r\n` or `PROXY UNKNOWN…\r\n`. */
function parseV1(buf: Uint8Array): ProxyHeaderResult {
  const limit = Math.min(buf.length, V1_MAX_BYTES);
  let end = -1;
  for (let i = V1_SIG.length; i < limit; i++) {
    const b = buf[i]!;
    if (b === 0x0a) return invalid("v1: bare LF");
    if (b === 0x0d) {
      if (i + 1 >= buf.length) return INCOMPLETE;
      if (buf[i + 1] !== 0x0a) return invalid("v1: CR without LF");
      end = i;
      break;
    }
    if (b < 0x20 || b > 0x7e) return invalid("v1: non-printable byte");
  }
  if (end < 0) return buf.length >= V1_MAX_BYTES ? invalid("v1: header too long") : INCOMPLETE;
  const line = Buffer.from(buf.buffer, buf.byteOffset, end).toString("latin1");
  const length = end + 2;
  const parts = line.split(" ");
  if (parts[1] === "UNKNOWN") return { kind: "ok", version: 1, length, addresses: null };
  if (parts.length !== 6) return invalid("v1: want PROXY TCP4|TCP6 src dst sport dport");
  const [, proto, src, dst, sport, dport] = parts as [string, string, string, string, string, string];
  const family = proto === "TCP4" ? 4 : proto === "TCP6" ? 6 : 0;
  if (!family) return invalid("v1: protocol must be TCP4, TCP6 or UNKNOWN");
  const sp = v1Port(sport);
  const dp = v1Port(dport);
  if (sp < 0 || dp < 0) return invalid("v1: bad port");
  if (family === 4) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(src) || !ipaddr.IPv4.isValidFourPartDecimal(dst))
      return invalid("v1: bad IPv4 address");
    return { kind: "ok", version: 1, length, addresses: address(src, sp, dst, dp) };
  }
  // Hex digits, colons and an embedded IPv4 only: no zone id (`%eth0`), which isIP would take.
  if (!V6_TEXT.test(src) || !V6_TEXT.test(dst) || isIP(src) !== 6 || isIP(dst) !== 6)
    return invalid("v1: bad IPv6 address");
  const s = canonicalV6(ipaddr.IPv6.parse(src));
  const d = canonicalV6(ipaddr.IPv6.parse(dst));
  return { kind: "ok", version: 1, length, addresses: address(s, sp, d, dp) };
}

function address(sourceIp: string, sourcePort: number, destIp: string, destPort: number): ProxyAddresses {
  return { sourceIp, sourcePort, destIp, destPort };
}

/** Signature, version/command, family/protocol, length, addresses, TLVs (skipped). */
function parseV2(buf: Uint8Array): ProxyHeaderResult {
  if (buf.length < 16) return INCOMPLETE;
  const verCmd = buf[12]!;
  if (verCmd >> 4 !== 2) return invalid("v2: version must be 2");
  const command = verCmd & 0x0f;
  if (command > 1) return invalid("v2: command must be LOCAL or PROXY");
  const famProto = buf[13]!;
  const len = (buf[14]! << 8) | buf[15]!;
  const length = 16 + len;
  if (length > V2_MAX_BYTES) return invalid("v2: header too long");
  if (buf.length < length) return INCOMPLETE;
  // LOCAL: the balancer speaks for itself (health checks); whatever follows is ignored.
  if (command === 0) return { kind: "ok", version: 2, length, addresses: null };
  const family = famProto >> 4;
  const transport = famProto & 0x0f;
  if (family === 0 && transport === 0) return { kind: "ok", version: 2, length, addresses: null };
  // Only streams are meaningful on a TCP listener.
  if (transport !== 1) return invalid("v2: transport must be STREAM");
  const at = 16;
  if (family === 1) {
    if (len < 12) return invalid("v2: IPv4 block too short");
    const src = `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
    const dst = `${buf[at + 4]}.${buf[at + 5]}.${buf[at + 6]}.${buf[at + 7]}`;
    return {
      kind: "ok",
      version: 2,
      length,
      addresses: address(src, port16(buf, at + 8), dst, port16(buf, at + 10)),
    };
  }
  if (family === 2) {
    if (len < 36) return invalid("v2: IPv6 block too short");
    const src = canonicalV6(ipaddr.fromByteArray(Array.from(buf.subarray(at, at + 16))) as ipaddr.IPv6);
    const dst = canonicalV6(ipaddr.fromByteArray(Array.from(buf.subarray(at + 16, at + 32))) as ipaddr.IPv6);
    return {
      kind: "ok",
      version: 2,
      length,
      addresses: address(src, port16(buf, at + 32), dst, port16(buf, at + 34)),
    };
  }
  if (family === 3) {
    if (len < 216) return invalid("v2: UNIX block too short");
    return { kind: "ok", version: 2, length, addresses: null };
  }
  return invalid("v2: unknown address family");
}

function port16(buf: Uint8Array, at: number): number {
  return (buf[at]! << 8) | buf[at + 1]!;
}

/** Encodes a v1 header (tests, and any balancer emulation). */
export function encodeV1(a: ProxyAddresses | null): Buffer {
  if (!a) return Buffer.from("PROXY UNKNOWN\r\n", "latin1");
  const proto = isIP(a.sourceIp) === 6 ? "TCP6" : "TCP4";
  return Buffer.from(`PROXY ${proto} ${a.sourceIp} ${a.destIp} ${a.sourcePort} ${a.destPort}\r\n`, "latin1");
}

/** Encodes a v2 header: PROXY with the addresses, or LOCAL when null; `tlvs` appended as given. */
export function encodeV2(a: ProxyAddresses | null, tlvs: Uint8Array = new Uint8Array(0)): Buffer {
  let block: Buffer;
  let famProto = 0;
  if (!a) block = Buffer.alloc(0);
  else if (isIP(a.sourceIp) === 4) {
    famProto = 0x11;
    block = Buffer.alloc(12);
    block.set(ipaddr.IPv4.parse(a.sourceIp).toByteArray(), 0);
    block.set(ipaddr.IPv4.parse(a.destIp).toByteArray(), 4);
    block.writeUInt16BE(a.sourcePort, 8);
    block.writeUInt16BE(a.destPort, 10);
  } else {
    famProto = 0x21;
    block = Buffer.alloc(36);
    block.set(ipaddr.IPv6.parse(a.sourceIp).toByteArray(), 0);
    block.set(ipaddr.IPv6.parse(a.destIp).toByteArray(), 16);
    block.writeUInt16BE(a.sourcePort, 32);
    block.writeUInt16BE(a.destPort, 34);
  }
  const head = Buffer.alloc(16);
  V2_SIG.copy(head, 0);
  head[12] = a ? 0x21 : 0x20;
  head[13] = famProto;
  head.writeUInt16BE(block.length + tlvs.length, 14);
  return Buffer.concat([head, block, tlvs]);
}
