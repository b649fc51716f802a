import { expect, test } from "bun:test";
import { sumExpositions } from "./metrics-sum.ts";

/** The supervisor's /metrics: the workers' expositions summed sample by sample. */

const worker = (
  requests: number,
  healthy: number,
  bucket: number,
) => `# HELP proxy_requests_total Requests by upstream and status
# TYPE proxy_requests_total counter
proxy_requests_total{upstream="a",status="200"} ${requests}
# HELP proxy_request_duration_seconds Time
# TYPE proxy_request_duration_seconds histogram
proxy_request_duration_seconds_bucket{upstream="a",le="0.005"} ${bucket}
proxy_request_duration_seconds_bucket{upstream="a",le="+Inf"} ${requests}
proxy_request_duration_seconds_sum{upstream="a"} 0.5
proxy_request_duration_seconds_count{upstream="a"} ${requests}
# HELP proxy_upstream_healthy 1 when healthy
# TYPE proxy_upstream_healthy gauge
proxy_upstream_healthy{upstream="a"} ${healthy}
`;

test("samples with the same name and labels add up; comments appear once, before their family", () => {
  const only2 = `# HELP proxy_retries_total Retries\n# TYPE proxy_retries_total counter\nproxy_retries_total 3\n`;
  const out = sumExpositions([worker(7, 1, 5), worker(5, 0, 4) + only2]);
  expect(out).toContain('proxy_requests_total{upstream="a",status="200"} 12');
  expect(out).toContain('proxy_request_duration_seconds_bucket{upstream="a",le="0.005"} 9');
  expect(out).toContain('proxy_request_duration_seconds_bucket{upstream="a",le="+Inf"} 12');
  expect(out).toContain('proxy_request_duration_seconds_sum{upstream="a"} 1');
  expect(out).toContain('proxy_upstream_healthy{upstream="a"} 1');
  expect(out).toContain("proxy_retries_total 3");
  expect(out.match(/# TYPE proxy_requests_total counter/g)?.length).toBe(1);
  const lines = out.trim().split("\n");
  expect(lines.indexOf("# TYPE proxy_request_duration_seconds histogram")).toBeLessThan(
    lines.findIndex((l) => l.startsWith("proxy_request_duration_seconds_bucket")),
  );
  expect(sumExpositions([])).toBe("\n");
});
