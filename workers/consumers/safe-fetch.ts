import type { LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { checkWebhookUrl, type ResolvedAddress, type Resolver } from "../../server/events/webhook-url.ts";

/** A POST to a URL that a user chose (webhooks). */
export interface SafePostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** WEBHOOKS_ALLOW_PRIVATE: development may target local receivers. */
  allowPrivate: boolean;
  /** Tests replace the system resolver. */
  resolve?: Resolver;
  /** Response bytes read before the connection is dropped (the body is not used). */
  maxResponseBytes?: number;
}

/** The destination was refused before any connection was made. */
export class RefusedDestinationError extends Error {
  constructor(reason: string) {
    super(`refused destination: ${reason}`);
    this.name = "RefusedDestinationError";
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for node:http that answers with the addresses already checked,
 * so the connection cannot go anywhere a second DNS answer points to (DNS
 * rebinding). Host header, TLS SNI and certificate checks keep the name.
 */
function pinnedLookup(addresses: ResolvedAddress[]) {
  return (_host: string, options: unknown, callback?: LookupCallback) => {
    const cb = (typeof options === "function" ? options : callback) as LookupCallback;
    const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all;
    const first = addresses[0]!;
    if (all)
      cb(
        null,
        addresses.map((a) => ({ address: a.address, family: a.family })),
      );
    else cb(null, first.address, first.family);
  };
}

/**
 * POSTs `body` to `rawUrl` after checking it as a webhook URL (see
 * server/events/webhook-url.ts): the host is resolved once, every answer must
 * be a public address, and the connection goes to those addresses. Redirects
 * are never followed (node:http does not follow them; a 3xx is the answer).
 * Resolves to the status code; throws RefusedDestinationError for a refused
 * URL and an Error for network failures and timeouts.
 */
export async function safePost(rawUrl: string, opts: SafePostOptions): Promise<number> {
  const target = await checkWebhookUrl(rawUrl, { allowPrivate: opts.allowPrivate, resolve: opts.resolve });
  if (!target.ok) throw new RefusedDestinationError(target.reason);
  const { url, host, addresses } = target;
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const limit = opts.maxResponseBytes ?? 64 * 1024;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      {
        host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: { ...opts.headers, "Content-Length": String(Buffer.byteLength(opts.body)) },
        lookup: pinnedLookup(addresses) as never,
        // A fresh connection each time: a pooled socket would be keyed by name, not by the checked address.
        agent: false,
        // SNI carries names only; an IP-literal host has none to send.
        servername: url.protocol === "https:" && addresses[0]?.address !== host ? host : undefined,
        auth: url.username
          ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
          : undefined,
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > limit) {
            clearTimeout(timer);
            resolve(status);
            res.destroy();
          }
        });
        res.on("end", () => {
          clearTimeout(timer);
          resolve(status);
        });
        res.on("error", () => {
          clearTimeout(timer);
          resolve(status);
        });
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(opts.body);
  });
}
