/**
 * The path a request-routing decision (rate-limit zone, local answer) is made
 * on. The app instances decode the target before routing (`/api/%61uth/login`
 * reaches the login handler; WHATWG URL parsing removes `.`/`..` segments,
 * `%2e` included, and reads `\` as `/`), so a decision on the raw bytes could
 * be evaded. The normal form here is at least as canonical as theirs.
 */

const HEX = "0123456789ABCDEF";

/** RFC 3986 unreserved characters (ALPHA DIGIT - . _ ~): their escapes mean the same as the character. */
function unreserved(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x5f ||
    code === 0x7e
  );
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Whether `path` may differ from its normal form: it holds `%`, `\`, `//` or
 * `/.`. The plain path of nearly every request does not, and then no string
 * is made.
 */
export function needsNormalising(path: string): boolean {
  return (
    path.indexOf("%") >= 0 || path.indexOf("\\") >= 0 || path.indexOf("//") >= 0 || path.indexOf("/.") >= 0
  );
}

/**
 * Decodes escapes of unreserved characters, upper-cases the hex of the other
 * escapes, reads `\` as `/`, merges repeated slashes and removes `.` and `..`
 * segments (RFC 3986 §5.2.4; `..` never climbs above the root).
 */
export function normalisePath(path: string): string {
  if (!needsNormalising(path)) return path;
  let decoded = "";
  for (let i = 0; i < path.length; i++) {
    const ch = path.charCodeAt(i);
    if (ch === 0x5c) decoded += "/";
    else if (ch === 0x25 && i + 2 < path.length) {
      const hi = hexValue(path.charCodeAt(i + 1));
      const lo = hexValue(path.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) {
        decoded += "%";
        continue;
      }
      const code = hi * 16 + lo;
      decoded += unreserved(code) ? String.fromCharCode(code) : `%${HEX[hi]}${HEX[lo]}`;
      i += 2;
    } else decoded += path[i];
  }
  const out: string[] = [];
  const segments = decoded.split("/");
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (seg === "..") {
      out.pop();
      if (last) out.push("");
    } else if (seg === "." || seg === "") {
      if (last) out.push("");
    } else out.push(seg);
  }
  return `/${out.join("/")}`;
}
