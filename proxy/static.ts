import { realpathSync } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { extname, join, sep } from "node:path";
import { brotliCompressSync, gzipSync, constants as zc } from "node:zlib";
import type { ProxyConfig } from "./config.ts";

/** The request headers static files look at. */
export type ConditionalHeader = "range" | "if-none-match" | "if-modified-since" | "if-range";

/** What the engine writes back for a static request. */
export interface StaticReply {
  status: number;
  headers: [string, string][];
  /** `headers` rendered as head lines, when the reply is a cached one (never mutate it) */
  lines?: string;
  /** the whole body, in memory */
  body: Uint8Array | null;
  /** or a byte range [start, end] (inclusive) of a file streamed from disk */
  file?: { path: string; start: number; end: number };
}

interface Entry {
  path: string;
  size: number;
  mtimeMs: number;
  etag: string;
  lastModified: string;
  type: string;
  cacheControl: string;
  compressible: boolean;
  body: Uint8Array | null;
  gz: Uint8Array | null;
  br: Uint8Array | null;
  /** paths of precompressed siblings of files too large to keep in memory */
  gzPath: string | null;
  brPath: string | null;
  checkedAt: number;
  bytes: number;
  /** 200 replies without conditions or ranges, built once per coding and reused */
  plain: { identity?: StaticReply; gzip?: StaticReply; br?: StaticReply };
}

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".map": "application/json",
  ".xml": "application/xml",
  ".webmanifest": "application/manifest+json",
};

// `app.3f9a1c2b.js`: a content hash in the name means the URL changes when the bytes do.
const fingerprinted = /\.[0-9a-f]{8,}\.[a-z0-9]+$/i;
const REVALIDATE_MS = 2000;

/**
 * Static files from one root: conditional requests, ranges, precompressed
 * `.br`/`.gz` siblings (or compression once, cached), and an LRU of small
 * files so hot assets are answered without touching the disk.
 */
export class StaticFiles {
  private readonly cache = new Map<string, Entry>();
  /** URL path → relative file path (or null: refused), memoised: resolving decodes and splits */
  private readonly resolved = new Map<string, string | null>();
  private cacheBytes = 0;

  /** Bytes held by the file cache (bodies and their compressed forms), for the memory metrics. */
  cachedBytes(): number {
    return this.cacheBytes;
  }
  private root: string;
  private realRoot: string;

  constructor(private cfg: ProxyConfig) {
    this.root = cfg.static.root;
    this.realRoot = safeRealpath(this.root);
  }

  reconfigure(cfg: ProxyConfig): void {
    this.cfg = cfg;
    if (cfg.static.root !== this.root) {
      this.root = cfg.static.root;
      this.realRoot = safeRealpath(this.root);
      this.cache.clear();
      this.cacheBytes = 0;
    }
  }

  /**
   * Answers a GET/HEAD for `pathname` (the URL path, still percent-encoded).
   * Synchronous for fresh cached entries, so hot files cost no promise.
   */
  serve(
    pathname: string,
    header: (name: ConditionalHeader) => string | undefined,
    encoding: "br" | "gzip" | null,
  ): StaticReply | Promise<StaticReply> {
    let rel = this.resolved.get(pathname);
    if (rel === undefined) {
      rel = this.resolve(pathname);
      // Bounded: unique junk paths must not grow it without limit.
      if (this.resolved.size >= 4096) this.resolved.clear();
      this.resolved.set(pathname, rel);
    }
    if (rel === null) return notFound();
    const hit = this.cache.get(rel);
    if (hit && Date.now() - hit.checkedAt < REVALIDATE_MS) {
      // LRU: move to the back.
      this.cache.delete(rel);
      this.cache.set(rel, hit);
      return reply(hit, header, encoding);
    }
    return this.load(rel, hit).then((e) => (e ? reply(e, header, encoding) : notFound()));
  }

  /** Maps a URL path to a relative file path, or null for anything that could escape the root. */
  private resolve(pathname: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes("\0") || decoded.includes("\\") || !decoded.startsWith("/")) return null;
    if (decoded.endsWith("/")) decoded += "index.html";
    const segments = decoded.slice(1).split("/");
    for (const s of segments) if (s === "" || s === "." || s === ".." || s.startsWith(".")) return null;
    return segments.join("/");
  }

  private async load(rel: string, old: Entry | undefined): Promise<Entry | null> {
    const full = join(this.root, rel);
    let real: string;
    try {
      real = await realpath(full);
    } catch {
      this.evict(rel);
      return null;
    }
    // A symlink (or anything else) resolving outside the root is treated as absent.
    if (!real.startsWith(this.realRoot + sep)) return null;
    const st = await stat(real).catch(() => null);
    if (!st?.isFile()) {
      this.evict(rel);
      return null;
    }
    if (old && old.mtimeMs === st.mtimeMs && old.size === st.size && old.path === real) {
      old.checkedAt = Date.now();
      return old;
    }
    const ext = extname(real).toLowerCase();
    const type = types[ext] ?? "application/octet-stream";
    const compressible = this.cfg.compression.types.some((t) => type.startsWith(t));
    const base = rel.split("/").pop() ?? rel;
    const entry: Entry = {
      path: real,
      size: st.size,
      mtimeMs: st.mtimeMs,
      etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
      lastModified: new Date(Math.floor(st.mtimeMs / 1000) * 1000).toUTCString(),
      type,
      cacheControl: fingerprinted.test(base)
        ? "public, max-age=31536000, immutable"
        : ext === ".html"
          ? "no-cache"
          : "public, max-age=3600",
      compressible,
      body: null,
      gz: null,
      br: null,
      gzPath: null,
      brPath: null,
      checkedAt: Date.now(),
      bytes: 0,
      plain: {},
    };
    const sibling = async (suffix: string) => {
      const p = `${real}${suffix}`;
      const s = await stat(p).catch(() => null);
      return s?.isFile() && s.mtimeMs >= st.mtimeMs - 1000 ? p : null;
    };
    entry.gzPath = await sibling(".gz");
    entry.brPath = await sibling(".br");
    if (st.size <= this.cfg.static.cacheMaxFileBytes) {
      entry.body = new Uint8Array(await readFile(real));
      if (compressible) {
        entry.gz = entry.gzPath ? new Uint8Array(await readFile(entry.gzPath)) : null;
        entry.br = entry.brPath ? new Uint8Array(await readFile(entry.brPath)) : null;
        // No sibling: compress once at the best ratio; the result is cached with the file.
        if (st.size >= this.cfg.compression.minBytes) {
          entry.gz ??= new Uint8Array(gzipSync(entry.body, { level: 9 }));
          entry.br ??= new Uint8Array(
            brotliCompressSync(entry.body, { params: { [zc.BROTLI_PARAM_QUALITY]: 9 } }),
          );
        }
      }
      entry.bytes = entry.body.length + (entry.gz?.length ?? 0) + (entry.br?.length ?? 0);
      this.evict(rel);
      this.cache.set(rel, entry);
      this.cacheBytes += entry.bytes;
      this.trim();
    }
    return entry;
  }

  private evict(rel: string): void {
    const e = this.cache.get(rel);
    if (!e) return;
    this.cache.delete(rel);
    this.cacheBytes -= e.bytes;
  }

  private trim(): void {
    for (const [k, e] of this.cache) {
      if (this.cacheBytes <= this.cfg.static.cacheMaxBytes) break;
      this.cache.delete(k);
      this.cacheBytes -= e.bytes;
    }
  }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function notFound(): StaticReply {
  return { status: 404, headers: [], body: null };
}

function reply(
  e: Entry,
  header: (n: ConditionalHeader) => string | undefined,
  encoding: "br" | "gzip" | null,
): StaticReply {
  // The common case, a plain GET of a file held in memory, reuses one reply per coding.
  if (
    header("range") === undefined &&
    header("if-none-match") === undefined &&
    header("if-modified-since") === undefined
  ) {
    const enc = encoding === "br" && e.br ? "br" : encoding && e.gz ? "gzip" : null;
    const key = enc ?? "identity";
    const cached = e.plain[key];
    if (cached) return cached;
    if (enc ? e[enc === "br" ? "br" : "gz"] : e.body) {
      const built = fullReply(e, header, encoding);
      if (built.status === 200 && built.body) {
        built.lines = built.headers.map(([k, v]) => `${k}: ${v}\r\n`).join("");
        e.plain[key] = built;
      }
      return built;
    }
  }
  return fullReply(e, header, encoding);
}

function fullReply(
  e: Entry,
  header: (n: ConditionalHeader) => string | undefined,
  encoding: "br" | "gzip" | null,
): StaticReply {
  const headers: [string, string][] = [
    ["Content-Type", e.type],
    ["Cache-Control", e.cacheControl],
    ["Last-Modified", e.lastModified],
    ["Accept-Ranges", "bytes"],
  ];
  if (e.compressible) headers.push(["Vary", "Accept-Encoding"]);
  const range = header("range");
  // Ranges are served from the identity bytes only; compression is skipped for them.
  let enc: "br" | "gzip" | null = null;
  if (!range && encoding === "br" && (e.br || e.brPath)) enc = "br";
  else if (!range && encoding && (e.gz || e.gzPath)) enc = "gzip";
  const etag = enc ? `${e.etag.slice(0, -1)}-${enc === "br" ? "br" : "gz"}"` : e.etag;
  headers.push(["ETag", etag]);

  const inm = header("if-none-match");
  if (inm !== undefined) {
    if (inm.trim() === "*" || inm.split(",").some((t) => stripWeak(t.trim()) === stripWeak(etag)))
      return { status: 304, headers, body: null };
  } else {
    const ims = header("if-modified-since");
    if (ims !== undefined) {
      const t = Date.parse(ims);
      if (!Number.isNaN(t) && Math.floor(e.mtimeMs / 1000) * 1000 <= t)
        return { status: 304, headers, body: null };
    }
  }

  if (range !== undefined) {
    const ifRange = header("if-range");
    const rangeApplies =
      ifRange === undefined ||
      ifRange === e.etag ||
      Date.parse(ifRange) >= Math.floor(e.mtimeMs / 1000) * 1000;
    if (rangeApplies) {
      const r = parseRange(range, e.size);
      if (r === "unsatisfiable") {
        headers.push(["Content-Range", `bytes */${e.size}`]);
        return { status: 416, headers, body: new Uint8Array(0) };
      }
      if (r) {
        headers.push(["Content-Range", `bytes ${r.start}-${r.end}/${e.size}`]);
        if (e.body) return { status: 206, headers, body: e.body.subarray(r.start, r.end + 1) };
        return { status: 206, headers, body: null, file: { path: e.path, start: r.start, end: r.end } };
      }
    }
  }

  if (enc) headers.push(["Content-Encoding", enc]);
  const mem = enc === "br" ? e.br : enc === "gzip" ? e.gz : e.body;
  if (mem) return { status: 200, headers, body: mem };
  const path = enc === "br" ? e.brPath! : enc === "gzip" ? e.gzPath! : e.path;
  const size = enc ? Bun.file(path).size : e.size;
  return { status: 200, headers, body: null, file: { path, start: 0, end: size - 1 } };
}

const stripWeak = (t: string) => (t.startsWith("W/") ? t.slice(2) : t);

/** One `bytes=` range (multi-range requests get the whole file, which RFC 9110 allows). */
function parseRange(value: string, size: number): { start: number; end: number } | "unsatisfiable" | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return "unsatisfiable";
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    if (start >= size) return "unsatisfiable";
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (end < start) return null;
  }
  if (start >= size) return "unsatisfiable";
  return { start, end };
}
