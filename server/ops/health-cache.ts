/**
 * Keeps `/health` cheap: the probes run at most once per `ttlMs` however
 * many requests ask (one run is shared by every request that arrives while it
 * is in flight), so a flood of `/health` requests cannot become a flood of
 * queries against every dependency.
 */
export function cachedReport<T>(run: () => Promise<T>, ttlMs: number, now = () => performance.now()) {
  let last: { at: number; value: T } | null = null;
  let pending: Promise<T> | null = null;
  return (): Promise<T> => {
    if (last && now() - last.at < ttlMs) return Promise.resolve(last.value);
    pending ??= run()
      .then((value) => {
        last = { at: now(), value };
        return value;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
}
