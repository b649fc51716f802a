import { gzipSync } from "node:zlib";

/**
 * Gzipped bodies of cached pages, kept per process: a cache hit then costs a
 * map lookup instead of compressing 5 KB again in the proxy on every request
 * (which made a cached product page several times slower than its JSON).
 * Keyed by the exact document, so a page that changed is compressed anew;
 * least recently used entries go first.
 */
export class GzipMemo {
  private readonly entries = new Map<string, ArrayBuffer>();

  constructor(private readonly max = 256) {}

  /** The gzip of `body` (compressed once, then remembered). */
  get(body: string): ArrayBuffer {
    const hit = this.entries.get(body);
    if (hit) {
      // re-insert: Map order is the recency order
      this.entries.delete(body);
      this.entries.set(body, hit);
      return hit;
    }
    const z = gzipSync(body, { level: 6 });
    const gz = z.buffer.slice(z.byteOffset, z.byteOffset + z.byteLength) as ArrayBuffer;
    this.entries.set(body, gz);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
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
