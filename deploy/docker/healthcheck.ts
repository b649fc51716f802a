/**
 * The image's HEALTHCHECK: GET `HEALTHCHECK_URL` (default: this app instance's
 * `/readyz`) and exit 0 on a 2xx within 2 s, 1 otherwise. Each role points it at
 * its own endpoint: the proxy at its admin `/healthz`, the workers at their
 * health port's `/healthz`. `HEALTHCHECK_URL=none` turns the check off for
 * one-shot jobs: the container is then healthy while its process runs.
 */
const target = process.env.HEALTHCHECK_URL ?? `http://127.0.0.1:${process.env.PORT ?? "3001"}/readyz`;
if (target === "none") process.exit(0);
try {
  const res = await fetch(target, { signal: AbortSignal.timeout(2000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}

export {};
