import { expect, test } from "bun:test";
import { cacheTraffic, parseMetrics, proxyAdminBase, proxyTraffic, readTraffic } from "./traffic.ts";

const PROXY = `# HELP proxy_requests_total Requests by upstream and status
# TYPE proxy_requests_total counter
proxy_requests_total{upstream="127.0.0.1:3001",status="200"} 90
proxy_requests_total{upstream="static",status="200"} 10
proxy_request_duration_seconds_bucket{upstream="127.0.0.1:3001",le="0.001"} 50
proxy_request_duration_seconds_bucket{upstream="127.0.0.1:3001",le="0.01"} 90
proxy_request_duration_seconds_bucket{upstream="127.0.0.1:3001",le="+Inf"} 90
proxy_request_duration_seconds_bucket{upstream="static",le="0.001"} 10
proxy_request_duration_seconds_bucket{upstream="static",le="0.01"} 10
proxy_request_duration_seconds_bucket{upstream="static",le="+Inf"} 10
proxy_request_duration_seconds_sum{upstream="static"} 0.002
`;
const APP = `cache_requests_total{cache="page",result="hit"} 30
cache_requests_total{cache="page",result="miss"} 8
cache_requests_total{cache="product",result="coalesced"} 2
http_requests_total{method="GET",route="/",status="200"} 40
`;

test("parses samples with labels, skipping comments and junk", () => {
  const s = parseMetrics(`${PROXY}garbage line\nname_only\nx{a="q\\"uote"} 1.5\n`);
  expect(s.find((x) => x.name === "x")).toEqual({ name: "x", labels: { a: 'q"uote' }, value: 1.5 });
  expect(s.filter((x) => x.name === "proxy_requests_total")).toHaveLength(2);
});

test("sums requests and latency buckets over upstreams, and cache lookups by result", () => {
  expect(proxyTraffic(parseMetrics(PROXY))).toEqual({
    requests: 100,
    latency: { bounds: [0.001, 0.01], counts: [60, 100, 100] },
  });
  expect(cacheTraffic(parseMetrics(APP))).toEqual({ hits: 30, lookups: 40 });
});

test("reads the proxy's admin endpoint and each instance server-side; null when the proxy is down", async () => {
  const proxy = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(PROXY) });
  const app = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(APP) });
  try {
    const t = await readTraffic(`http://127.0.0.1:${proxy.port}`, [
      `127.0.0.1:${app.port}`,
      `127.0.0.1:${app.port}`,
      "127.0.0.1:9",
    ]);
    expect(t).toEqual({
      requests: 100,
      latency: { bounds: [0.001, 0.01], counts: [60, 100, 100] },
      cache: { hits: 60, lookups: 80 }, // two instances answered, one did not
    });
  } finally {
    await proxy.stop(true);
    await app.stop(true);
  }
  expect(await readTraffic("http://127.0.0.1:9", [])).toBeNull();
});

test("the proxy admin base is PROXY_ADMIN_URL when set (proxy in its own container), else loopback", () => {
  expect(proxyAdminBase({ PROXY_ADMIN_PORT: 9180 })).toBe("http://127.0.0.1:9180");
  expect(proxyAdminBase({ PROXY_ADMIN_URL: "http://proxy:9180/", PROXY_ADMIN_PORT: 9180 })).toBe(
    "http://proxy:9180",
  );
});
