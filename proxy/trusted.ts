import { BlockList, isIP } from "node:net";

/**
 * Trusted proxies (`PROXY_TRUSTED_PROXIES`): when the proxy sits behind a load
 * balancer, the client address comes from `X-Forwarded-For` — but only when
 * the socket peer is one of these, and only the right-most entry that is not
 * itself trusted (entries further left are whatever the client wrote).
 */

/** Parses `addr/prefix` CIDRs (or single addresses) separated by commas; throws naming the bad entry. */
export function parseCidrs(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [addr, bits, ...more] = entry.split("/");
      const family = isIP(addr ?? "");
      const max = family === 4 ? 32 : 128;
      const prefix = bits === undefined ? max : Number(bits);
      if (!family || more.length || !Number.isInteger(prefix) || prefix < 0 || prefix > max || bits === "")
        throw new Error(`bad CIDR ${JSON.stringify(entry)} (want address or address/prefix)`);
      return `${addr}/${prefix}`;
    });
}

/** A set of trusted networks; `has` answers for an address string (false for anything not an IP). */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(cidrs: string[]) {
    for (const c of cidrs) {
      const [addr, bits] = c.split("/") as [string, string];
      this.list.addSubnet(addr, Number(bits), isIP(addr) === 4 ? "ipv4" : "ipv6");
    }
    this.empty = cidrs.length === 0;
  }

  has(ip: string): boolean {
    if (this.empty) return false;
    // A dual-stack listener (PROXY_HOST=::) sees IPv4 peers as ::ffff:a.b.c.d.
    if (ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4) return this.has(ip.slice(7));
    const family = isIP(ip);
    return family !== 0 && this.list.check(ip, family === 4 ? "ipv4" : "ipv6");
  }

  /**
   * The client a trusted peer names in a single-address header
   * (`PROXY_REAL_IP_HEADER`, e.g. `X-Real-IP`, `CF-Connecting-IP`); null when
   * absent or not one IP address (then the peer is the client).
   */
  clientFromSingle(value: string | undefined): { ip: string; chain: string } | null {
    const ip = value?.trim();
    if (!ip || isIP(ip) === 0) return null;
    return { ip, chain: ip };
  }

  /**
   * The client behind a trusted peer: walks `X-Forwarded-For` from the right
   * past trusted hops. Returns the address and the list up to and including
   * it, or null when the header is absent or malformed (then the peer is the
   * client). When every entry is trusted, the left-most one is the client.
   */
  clientFrom(forwardedFor: string | undefined): { ip: string; chain: string } | null {
    if (!forwardedFor) return null;
    const hops = forwardedFor.split(",").map((s) => s.trim());
    for (const h of hops) if (isIP(h) === 0) return null;
    let i = hops.length - 1;
    while (i > 0 && this.has(hops[i]!)) i--;
    return { ip: hops[i]!, chain: hops.slice(0, i + 1).join(", ") };
  }
}
