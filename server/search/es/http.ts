/** The subset of `fetch` the client uses; tests pass one that records requests. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<Response>;

/** An Elasticsearch answer that was neither 2xx nor an expected status. */
export class EsError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`Elasticsearch ${what} failed with HTTP ${status}`);
    this.name = "EsError";
  }
}

/** Either a JSON body or newline-delimited JSON (bulk). */
export type EsBody = { json: unknown } | { ndjson: string };

export interface EsResponse<T> {
  status: number;
  body: T;
}

/** A minimal JSON-over-HTTP client for the few Elasticsearch APIs search uses. */
export interface EsClient {
  request<T>(
    method: "GET" | "PUT" | "POST" | "DELETE" | "HEAD",
    path: string,
    body?: EsBody,
    opts?: { allow?: number[] },
  ): Promise<EsResponse<T>>;
}

export interface EsClientOptions {
  url: string;
  fetch?: FetchLike;
  /** Per-request timeout; bulk loads during a reindex get `bulkTimeoutMs`. */
  timeoutMs?: number;
  bulkTimeoutMs?: number;
}

/**
 * Builds the client. Plain fetch rather than the official client keeps the
 * requests we send visible and testable byte for byte, and a short timeout
 * lets the Postgres fallback answer quickly when the cluster hangs.
 */
export function createEsClient(opts: EsClientOptions): EsClient {
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  const base = opts.url.replace(/\/+$/, "");
  const timeoutMs = opts.timeoutMs ?? 2000;
  const bulkTimeoutMs = opts.bulkTimeoutMs ?? 60_000;
  return {
    async request<T>(
      method: "GET" | "PUT" | "POST" | "DELETE" | "HEAD",
      path: string,
      body?: EsBody,
      ro: { allow?: number[] } = {},
    ): Promise<EsResponse<T>> {
      const headers: Record<string, string> = { accept: "application/json" };
      let text: string | undefined;
      if (body && "json" in body) {
        headers["content-type"] = "application/json";
        text = JSON.stringify(body.json);
      } else if (body) {
        headers["content-type"] = "application/x-ndjson";
        text = body.ndjson;
      }
      const bulk = path.includes("_bulk");
      const res = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(text !== undefined ? { body: text } : {}),
        signal: AbortSignal.timeout(bulk ? bulkTimeoutMs : timeoutMs),
      });
      const raw = method === "HEAD" ? "" : await res.text();
      let parsed: unknown = null;
      if (raw) {
        try {
          parsed = JSON.parse(raw);
        } catch {
          parsed = raw;
        }
      }
      if (!res.ok && !(ro.allow ?? []).includes(res.status)) {
        throw new EsError(res.status, parsed, `${method} ${path.split("?")[0]}`);
      }
      return { status: res.status, body: parsed as T };
    },
  };
}
