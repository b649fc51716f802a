/**
 * An OTLP/HTTP receiver for tests: a Bun.serve taking `POST /v1/traces` in
 * the JSON encoding and keeping every span, flattened with its service name.
 */

/** One received span. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttr {
  key: string;
  value: OtlpValue;
}
interface OtlpBody {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttr[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttr[];
      }[];
    }[];
  }[];
}

function attrs(list: OtlpAttr[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of list ?? [])
    out[a.key] = a.value.stringValue ?? a.value.intValue ?? a.value.boolValue ?? a.value.doubleValue;
  return out;
}

/** Flattens an OTLP JSON export request into spans. */
export function spansOf(body: OtlpBody): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of body.resourceSpans ?? []) {
    const service = String(attrs(rs.resource?.attributes)["service.name"] ?? "");
    for (const ss of rs.scopeSpans ?? [])
      for (const s of ss.spans ?? [])
        out.push({
          service,
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? "",
          name: s.name,
          kind: s.kind,
          attributes: attrs(s.attributes),
        });
  }
  return out;
}

/** A running receiver: its base URL (for OTEL_EXPORTER_OTLP_ENDPOINT) and what it got. */
export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  /** content types of the export requests, in arrival order */
  contentTypes: string[];
  stop(): Promise<void>;
}

/** Starts a receiver on a free port. Non-JSON bodies are counted (content type) but not decoded. */
export function startOtlpReceiver(): OtlpReceiver {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      if (req.method !== "POST" || new URL(req.url).pathname !== "/v1/traces")
        return new Response("not found", { status: 404 });
      const type = req.headers.get("content-type") ?? "";
      contentTypes.push(type);
      if (type.includes("json")) spans.push(...spansOf((await req.json()) as OtlpBody));
      else await req.arrayBuffer();
      return Response.json({});
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    spans,
    contentTypes,
    stop: () => server.stop(true),
  };
}
