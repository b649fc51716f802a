import { gzipSync } from "node:zlib";
import { RecentMap } from "../../platform/recent-map.ts";

/**
 * Gzipped bodies of cached pages, kept per process: a cache hit then costs a
 * map lookup instead of compressing 5 KB again in the proxy on every request
 * (which made a cached product page several times slower than its JSON).
 * Keyed by the exact document, so a page that changed is compressed anew;
 * entries not used recently go first (`RecentMap`).
 */
export class GzipMemo {
  private readonly entries: RecentMap<string, ArrayBuffer>;

  constructor(max = 256) {
    this.entries = new RecentMap(max);
  }

  /** The gzip of `body` (compressed once, then remembered). */
  get(body: string): ArrayBuffer {
    const hit = this.entries.get(body);
    if (hit) return hit;
    const z = gzipSync(body, { level: 6 });
    const gz = z.buffer.slice(z.byteOffset, z.byteOffset + z.byteLength) as ArrayBuffer;
    this.entries.set(body, gz);
    return gz;
  }

  /** Entries held (tests). */
  get size(): number {
    return this.entries.size;
  }
}

/** True when the request's Accept-Encoding allows gzip (`q=0` refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (name !== "gzip" && name !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
}
