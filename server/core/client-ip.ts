import type { Context } from "hono";
import { getConnInfo } from "hono/bun";
import ipaddr from "ipaddr.js";

/**
 * The address of the client a request came from, as the proxy saw it.
 *
 * Our proxy appends the peer address of the client connection to
 * `X-Forwarded-For` (after any list the client sent) and replaces any client
 * `X-Real-IP` with that same address (proxy/engine.ts). So only the LAST
 * `X-Forwarded-For` entry is trusted: the ones before it are whatever the
 * client chose to send. Without forwarding headers (a direct request to an
 * instance port, which only the private network can reach) the socket's
 * peer address is used. IPv4-mapped IPv6 addresses are folded to IPv4 so one
 * client has one key. "unknown" when nothing usable is there.
 */
export function clientIp(c: Context): string {
  const forwarded = c.req.header("x-forwarded-for");
  if (forwarded !== undefined) return canonical(forwarded.split(",").at(-1));
  const real = c.req.header("x-real-ip");
  if (real !== undefined) return canonical(real);
  try {
    return canonical(getConnInfo(c).remote.address);
  } catch {
    return "unknown"; // not served by Bun.serve (in-process test requests)
  }
}

function canonical(raw: string | undefined): string {
  const value = raw?.trim() ?? "";
  if (!ipaddr.isValid(value)) return "unknown";
  const ip = ipaddr.process(value);
  return ip.toString();
}
