/** Runs wrk (pinned to core 0) and parses its report. */

/** One wrk run. */
export interface WrkResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  /** socket errors + non-2xx/3xx responses */
  errors: number;
  requests: number;
}

const toMs = (v: string): number => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
};

/**
 * `wrk -t1 -c<conns> -d<seconds>s --latency` against `url` with extra request
 * headers; pinned to core 0 unless `pinned` is false (benchmarks of the whole stack).
 */
export async function wrk(
  url: string,
  conns: number,
  seconds: number,
  headers: string[] = [],
  pinned = true,
  /** A Lua script (e.g. one that picks each request's path). */
  script?: string,
): Promise<WrkResult> {
  const args = [
    ...(pinned ? ["taskset", "-c", "0"] : []),
    "wrk",
    "-t1",
    `-c${conns}`,
    `-d${seconds}s`,
    "--latency",
  ];
  args.push("--timeout", "5s");
  for (const h of headers) args.push("-H", h);
  if (script) args.push("-s", script);
  args.push(url);
  const p = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(p.stdout).text();
  await p.exited;
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const sockErr = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50ms: toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ""),
    p99ms: toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ""),
    errors: sockErr + num(/Non-2xx or 3xx responses:\s+(\d+)/),
    requests: num(/(\d+) requests in/),
  };
}
