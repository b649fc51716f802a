/**
 * Where the nearest-neighbour index keeps its 16-bit rows, and the dot
 * products of a query with them. Each row is split in two blocks: its first
 * `head` components, stored row after row, and the rest (`tail`), likewise.
 * The scan reads the heads of every row in its cells and a row's tail only
 * when the head leaves it a chance (ann.ts), so most rows cost 2·head bytes
 * of memory traffic, which bounds the scan under load. With WebAssembly SIMD
 * (Bun's JSC has it) the rows, their scales and tail lengths live in the
 * kernel's own memory and dots.wat does both passes eight lanes at a time;
 * without it, the same arithmetic in JavaScript (the same results, a few
 * times slower). Rows are padded with zeros to a multiple of eight components.
 */

import { WASM_BASE64 } from "./dots-wasm.ts";

/** One index's rows and its dot-product routines. */
export interface RowStore {
  /** Components in a row's head (a multiple of 8, at most `stride`). */
  head: number;
  /** Per row: the factor that turns its integers back into floats (see ann.ts). */
  scales: Float32Array;
  /** Per row: the (float) length of its tail, a hair above (see ann.ts). */
  tails: Float32Array;
  /** Writes row `at` (its `stride` components, zero-padded). */
  setRow(at: number, row: ArrayLike<number>): void;
  /** Component `d` of row `at`. */
  component(at: number, d: number): number;
  /** Sets the query (at most `stride` integers within ±32767) for the following calls. */
  setQuery(q: ArrayLike<number>): void;
  /**
   * Rows first .. first+count-1 whose head score, head·q · scales[at] ·
   * qScale, plus qTail · tails[at] passes `floor`: written to `picked` with
   * their head sums in `pickedSums`; returns how many. The caller keeps every
   * sum within 32 bits.
   */
  pick(first: number, count: number, qScale: number, qTail: number, floor: number): number;
  /** Rows listed by the last `pick` (room for the largest run). */
  picked: Int32Array;
  /** Their heads' integer dot products with the query. */
  pickedSums: Int32Array;
  /** The query's dot products with the tails of picked[0 .. count-1], in a view the next call overwrites. */
  tailDots(count: number): Int32Array;
  kind: "wasm-simd" | "js";
}

type PickExport = (
  q: number,
  heads: number,
  first: number,
  count: number,
  groups: number,
  scales: number,
  tails: number,
  qScale: number,
  qTail: number,
  floor: number,
  picked: number,
  sums: number,
) => number;
type GatherExport = (
  q: number,
  base: number,
  at: number,
  count: number,
  groups: number,
  rowBytes: number,
  out: number,
) => void;

let compiled: WebAssembly.Module | null | undefined;

/** The kernel's module, or null when this runtime has no WebAssembly SIMD. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = Buffer.from(WASM_BASE64, "base64");
    compiled =
      typeof WebAssembly === "object" && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

/** The stride of rows of `dims` components. */
export function strideOf(dims: number): number {
  return Math.max(8, Math.ceil(dims / 8) * 8);
}

/** How a store is laid out. */
export interface RowStoreOptions {
  /** Rows held. */
  rows: number;
  /** Components of a row. */
  dims: number;
  /** Components in the head block (rounded up to a multiple of 8, at most the stride). */
  head: number;
  /** The most rows one `pick` call covers. */
  maxRun: number;
  /** Forces the JavaScript routines (tests compare the two). */
  js?: boolean;
}

/** Room for the rows, in the SIMD kernel's memory when the runtime has it. */
export function createRowStore(opts: RowStoreOptions): RowStore {
  const stride = strideOf(opts.dims);
  const head = Math.min(stride, strideOf(opts.head));
  const layout = { rows: opts.rows, stride, head, tail: stride - head, maxRun: Math.max(1, opts.maxRun) };
  const mod = opts.js ? null : kernelModule();
  return mod ? wasmStore(mod, layout) : jsStore(layout);
}

interface Layout {
  rows: number;
  stride: number;
  head: number;
  tail: number;
  maxRun: number;
}

/** The row accessors both routines share. */
function rowAccess(heads: Int16Array, tails: Int16Array, l: Layout) {
  return {
    setRow(at: number, row: ArrayLike<number>) {
      for (let d = 0; d < l.stride; d++) {
        const x = d < row.length ? row[d]! : 0;
        if (d < l.head) heads[at * l.head + d] = x;
        else tails[at * l.tail + d - l.head] = x;
      }
    },
    component(at: number, d: number) {
      return d < l.head ? heads[at * l.head + d]! : tails[at * l.tail + d - l.head]!;
    },
  };
}

function wasmStore(mod: WebAssembly.Module, l: Layout): RowStore {
  const instance = new WebAssembly.Instance(mod);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const pick = instance.exports.pick as PickExport;
  const gather = instance.exports.gather as GatherExport;
  // Each block 16-byte aligned (v128 loads).
  let end = 0;
  const block = (bytes: number) => {
    const at = end;
    end = align16(end + bytes);
    return at;
  };
  const run = l.maxRun * 4;
  const queryAt = block(l.stride * 2);
  const pickedAt = block(run);
  const sumsAt = block(run);
  const tailOutAt = block(run);
  const scalesAt = block(l.rows * 4);
  const lengthsAt = block(l.rows * 4);
  const headsAt = block(l.rows * l.head * 2);
  const tailsAt = block(l.rows * l.tail * 2);
  const have = memory.buffer.byteLength;
  if (end > have) memory.grow(Math.ceil((end - have) / 65536));
  // Views are taken after the one grow: growing detaches earlier ones.
  const buffer = memory.buffer;
  const query = new Int16Array(buffer, queryAt, l.stride);
  const tailOut = new Int32Array(buffer, tailOutAt, l.maxRun);
  const headGroups = l.head / 8;
  const tailGroups = l.tail / 8;
  return {
    head: l.head,
    kind: "wasm-simd",
    scales: new Float32Array(buffer, scalesAt, l.rows),
    tails: new Float32Array(buffer, lengthsAt, l.rows),
    ...rowAccess(
      new Int16Array(buffer, headsAt, l.rows * l.head),
      new Int16Array(buffer, tailsAt, l.rows * l.tail),
      l,
    ),
    picked: new Int32Array(buffer, pickedAt, l.maxRun),
    pickedSums: new Int32Array(buffer, sumsAt, l.maxRun),
    setQuery(q) {
      query.fill(0);
      query.set(q);
    },
    pick(first, count, qScale, qTail, floor) {
      return pick(
        queryAt,
        headsAt,
        first,
        count,
        headGroups,
        scalesAt,
        lengthsAt,
        qScale,
        qTail,
        floor,
        pickedAt,
        sumsAt,
      );
    },
    tailDots(count) {
      if (!tailGroups) tailOut.fill(0, 0, count);
      else gather(queryAt + l.head * 2, tailsAt, pickedAt, count, tailGroups, l.tail * 2, tailOutAt);
      return tailOut.subarray(0, count);
    },
  };
}

function jsStore(l: Layout): RowStore {
  const heads = new Int16Array(l.rows * l.head);
  const tails = new Int16Array(l.rows * l.tail);
  const scales = new Float32Array(l.rows);
  const lengths = new Float32Array(l.rows);
  const query = new Int32Array(l.stride);
  const picked = new Int32Array(l.maxRun);
  const pickedSums = new Int32Array(l.maxRun);
  const tailOut = new Int32Array(l.maxRun);
  // Math.imul and |0: 32-bit wrapping products and sums, as the kernel's lanes.
  const dot = (block: Int16Array, base: number, from: number, n: number) => {
    let s = 0;
    for (let d = 0; d < n; d++) s = (s + Math.imul(query[from + d]!, block[base + d]!)) | 0;
    return s;
  };
  return {
    head: l.head,
    kind: "js",
    scales,
    tails: lengths,
    ...rowAccess(heads, tails, l),
    picked,
    pickedSums,
    setQuery(q) {
      query.fill(0);
      query.set(q);
    },
    pick(first, count, qScale, qTail, floor) {
      let n = 0;
      for (let at = first; at < first + count; at++) {
        const sum = dot(heads, at * l.head, 0, l.head);
        // The kernel's arithmetic in its order (f32 values widened to f64).
        if (sum * (scales[at]! * qScale) + qTail * lengths[at]! > floor) {
          picked[n] = at;
          pickedSums[n++] = sum;
        }
      }
      return n;
    },
    tailDots(count) {
      for (let r = 0; r < count; r++) tailOut[r] = dot(tails, picked[r]! * l.tail, l.head, l.tail);
      return tailOut.subarray(0, count);
    },
  };
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
