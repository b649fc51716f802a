import type { FetchLike } from "./http.ts";

/** One request the engine sent, with its body parsed (JSON, or NDJSON as a list of JSON values). */
export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
}

/** What the fake answers: a status and a JSON body, or a thrown error (the cluster being down). */
export type Reply = { status: number; body?: unknown } | Error;

/**
 * Test support: a `fetch` that records every request the Elasticsearch
 * engine sends and answers from `reply`. It checks our request building and
 * answer parsing; it is not a stand-in for testing Elasticsearch itself
 * (the integration test does that when ELASTICSEARCH_URL is set).
 */
export function recordingFetch(reply: (req: RecordedRequest) => Reply): {
  fetch: FetchLike;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    const contentType = init.headers["content-type"];
    let body: unknown;
    if (init.body !== undefined) {
      body =
        contentType === "application/x-ndjson"
          ? init.body
              .split("\n")
              .filter(Boolean)
              .map((l) => JSON.parse(l))
          : JSON.parse(init.body);
    }
    const req: RecordedRequest = { method: init.method, path: `${u.pathname}${u.search}`, contentType, body };
    requests.push(req);
    const r = reply(req);
    if (r instanceof Error) throw r;
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
      status: r.status,
      headers: { "content-type": "application/json" },
    });
  };
  return { fetch, requests };
}
