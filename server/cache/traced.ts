import { context, trace } from "@opentelemetry/api";
import { failSpan, SpanKind, type Tracer } from "../../platform/tracing.ts";
import type { Cache } from "./cache.ts";

/**
 * The cache with a client span per call (`cache.get`, `cache.set`, …) made
 * inside a traced operation; `cache.hit` says whether a get found its entry.
 * Only used when tracing is on (`cacheRuntime`).
 */
export function tracedCache(cache: Cache, tracer: Tracer): Cache {
  async function call<T>(op: string, fn: () => Promise<T>, hit?: (v: T) => boolean): Promise<T> {
    const parent = context.active();
    if (!trace.getSpan(parent)) return fn();
    const span = tracer.startSpan(
      `cache.${op}`,
      { kind: SpanKind.CLIENT, attributes: { "cache.kind": cache.kind } },
      parent,
    );
    try {
      const value = await fn();
      if (hit) span.setAttribute("cache.hit", hit(value));
      return value;
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  }
  return {
    kind: cache.kind,
    getVersions: (names) => call("getVersions", () => cache.getVersions(names)),
    raiseVersions: (names, version) => call("raiseVersions", () => cache.raiseVersions(names, version)),
    initVersion: (name, version) => call("initVersion", () => cache.initVersion(name, version)),
    get: (key) =>
      call(
        "get",
        () => cache.get(key),
        (v) => v !== null,
      ),
    set: (key, value, ttlMs) => call("set", () => cache.set(key, value, ttlMs)),
    tryLock: (key, ttlMs) => call("tryLock", () => cache.tryLock(key, ttlMs)),
    unlock: (key, token) => call("unlock", () => cache.unlock(key, token)),
    lookup: (key, names, lockTtlMs) =>
      call(
        "lookup",
        () => cache.lookup(key, names, lockTtlMs),
        (v) => v.value !== null,
      ),
    storeAndUnlock: (key, value, ttlMs, token) =>
      call("storeAndUnlock", () => cache.storeAndUnlock(key, value, ttlMs, token)),
    close: () => cache.close(),
  };
}
