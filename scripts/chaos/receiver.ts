/**
 * The webhook endpoint of the chaos run: counts every POST per event id
 * (X-Webhook-Id). A receiver applies each id once (the webhook contract asks
 * receivers to drop repeats by id); `received` also shows repeats, which only
 * a crash between the POST and its record may cause. `inFlight` lets the
 * workers-kill scenario strike while deliveries are under way.
 */
export interface WebhookReceiver {
  url: string;
  received: Map<string, number>;
  inFlight(): number;
  /** Holds each answer this long (keeps consumers busy, so a kill lands mid-batch). */
  setDelay(ms: number): void;
  stop(): void;
}

export function startReceiver(): WebhookReceiver {
  const received = new Map<string, number>();
  let inFlight = 0;
  let delayMs = 0;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      inFlight++;
      try {
        const id = req.headers.get("x-webhook-id") ?? "";
        await req.arrayBuffer();
        received.set(id, (received.get(id) ?? 0) + 1);
        if (delayMs) await Bun.sleep(delayMs);
        return new Response("ok");
      } finally {
        inFlight--;
      }
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}/hook`,
    received,
    inFlight: () => inFlight,
    setDelay(ms) {
      delayMs = ms;
    },
    stop: () => server.stop(true),
  };
}
