import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { unprocessable } from "../../platform/problem.ts";

/**
 * Where webhooks may be sent. A webhook URL is chosen by a staff user and
 * fetched by our workers from inside the network, so without a check it is a
 * way to reach internal services (metadata endpoints, admin ports, databases)
 * and read their status and timing back from the deliveries list (SSRF).
 *
 * Only public unicast addresses are allowed. Every notation of an address
 * reaches this check in one form: the WHATWG URL parser already turns
 * `2130706433`, `0x7f000001`, `0177.0.0.1` and `127.1` into `127.0.0.1` and
 * `[::ffff:127.0.0.1]` into `[::ffff:7f00:1]`, and names are resolved here.
 * The same check runs at registration (422) and again before each delivery,
 * whose connection goes to the very address that was checked (no second DNS
 * answer can swap in another: see workers/consumers/safe-fetch.ts).
 */

/** One resolved address of a webhook host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (the system resolver by default). */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

/** How long a name may take to resolve before it counts as not resolving. */
const RESOLVE_TIMEOUT_MS = 5000;

/** The system resolver: every A and AAAA answer, as the connection would see them. */
export const systemResolver: Resolver = async (host) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error("timeout"), { code: "ETIMEOUT" })),
      RESOLVE_TIMEOUT_MS,
    );
  });
  try {
    const answers = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } finally {
    clearTimeout(timer);
  }
};

const rangeNames: Record<string, string> = {
  unspecified: "an unspecified",
  broadcast: "a broadcast",
  multicast: "a multicast",
  linkLocal: "a link-local",
  loopback: "a loopback",
  carrierGradeNat: "a shared (CGNAT)",
  private: "a private",
  reserved: "a reserved",
  uniqueLocal: "a unique local (ULA)",
  ipv4Mapped: "an IPv4-mapped",
  rfc6145: "an IPv4-translated",
  rfc6052: "a NAT64",
  "6to4": "a 6to4",
  teredo: "a Teredo",
  discard: "a discard-only",
};

/**
 * Why `address` (an IP literal in canonical form) may not receive webhooks,
 * or null when it is a public unicast address.
 */
export function blockedAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return "is not an IP address";
  const ip = ipaddr.parse(address);
  const range = ip.range();
  // ::a.b.c.d (IPv4-compatible, deprecated) is "unicast" to ipaddr.js but reaches an IPv4 host.
  if (ip.kind() === "ipv6" && range === "unicast") {
    const parts = (ip as ipaddr.IPv6).parts;
    if (parts.slice(0, 6).every((p) => p === 0)) return "points to an IPv4-compatible address";
  }
  if (range === "unicast") return null;
  return `points to ${rangeNames[range] ?? `a ${range}`} address`;
}

/** The host of a parsed URL without the brackets of an IPv6 literal. */
export function bareHost(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * The synchronous part of the check, for request validation: the scheme, and
 * the address when the host is an IP literal. Null when acceptable so far.
 */
export function literalUrlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an http(s) URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL";
  const host = bareHost(url);
  if (allowPrivate || !ipaddr.isValid(host)) return null;
  return blockedAddressReason(host);
}

/** The outcome of checking a webhook URL with its host resolved. */
export type WebhookTarget =
  | { ok: true; url: URL; host: string; addresses: ResolvedAddress[] }
  | { ok: false; reason: string; unresolved: boolean };

/**
 * Checks a webhook URL: scheme, then every address its host resolves to
 * (one private answer among public ones refuses the URL, since the
 * connection could use it). `allowPrivate` (WEBHOOKS_ALLOW_PRIVATE) skips the
 * address rules for development. The addresses returned are the ones to
 * connect to.
 */
export async function checkWebhookUrl(
  raw: string,
  opts: { allowPrivate: boolean; resolve?: Resolver },
): Promise<WebhookTarget> {
  const literal = literalUrlProblem(raw, opts.allowPrivate);
  if (literal) return { ok: false, reason: literal, unresolved: false };
  const url = new URL(raw);
  const host = bareHost(url);
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === "ipv6" ? 6 : 4 }];
  } else {
    try {
      addresses = await (opts.resolve ?? systemResolver)(host);
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err instanceof Error ? err.message : String(err));
      return { ok: false, reason: `host ${host} does not resolve (${code})`, unresolved: true };
    }
    if (addresses.length === 0) return { ok: false, reason: `host ${host} has no address`, unresolved: true };
  }
  if (!opts.allowPrivate) {
    for (const a of addresses) {
      const why = blockedAddressReason(a.address);
      // The address itself is left out: the reason is shown in the deliveries list.
      if (why) return { ok: false, reason: `${host} ${why}`, unresolved: false };
    }
  }
  return { ok: true, url, host, addresses };
}

/**
 * The registration check: a 422 naming `url` when the URL is refused. A name
 * that does not resolve (yet) is accepted: delivery checks it again and
 * refuses it then if it points somewhere it must not.
 */
export async function assertWebhookUrl(
  raw: string,
  allowPrivate: boolean,
  resolve?: Resolver,
): Promise<void> {
  const target = await checkWebhookUrl(raw, { allowPrivate, resolve });
  if (target.ok || target.unresolved) return;
  const message = `${target.reason}; webhooks may only reach public addresses`;
  throw unprocessable("The webhook URL is not allowed.", [{ path: "url", message }], "webhook-url-refused");
}
