/**
 * Where the nearest-neighbour index keeps its 16-bit rows, and the dot
 * products of a query with them. Each row is split in two blocks: its first
 * `head` components, stored row after row, and the rest (`tail`), likewise.
 * The scan reads the heads of every row in its cells and a row's tail only
 * when the head leaves it a chance (ann.ts), so most rows cost 2·head bytes
 * of memory traffic, which bounds the scan under load. With WebAssembly SIMD
 * (Bun's JSC has it) both blocks live in the kernel's own memory and
 * dots.wat multiplies eight lanes at a time; without it, the same integer
 * arithmetic in JavaScript (the same results, a few times slower). Rows are
 * padded with zeros to a multiple of eight components.
 */

import { WASM_BASE64 } from "./dots-wasm.ts";

/** One index's rows and its dot-product routines. */
export interface RowStore {
  /** Components per stored row: the dimensions rounded up to a multiple of 8. */
  stride: number;
  /** Components in a row's head (a multiple of 8, at most `stride`). */
  head: number;
  /** Writes row `at` (its `stride` components, zero-padded). */
  setRow(at: number, row: ArrayLike<number>): void;
  /** Component `d` of row `at`. */
  component(at: number, d: number): number;
  /** Sets the query (at most `stride` integers within ±32767) for the following calls. */
  setQuery(q: ArrayLike<number>): void;
  /**
   * The query's dot products with the heads of rows first .. first+count-1,
   * in a view that the next call overwrites. The caller keeps every sum
   * within 32 bits.
   */
  headDots(first: number, count: number): Int32Array;
  /** Where the caller lists the rows whose tails `tailDots` reads (room for `maxRun`). */
  picked: Int32Array;
  /**
   * The query's dot products with the tails of rows picked[0 .. count-1], in
   * a view that the next call overwrites (the heads' run stays as it was).
   */
  tailDots(count: number): Int32Array;
  kind: "wasm-simd" | "js";
}

type DotsExport = (q: number, row: number, count: number, groups: number, out: number) => void;
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
  /** The most rows one `headDots` call covers. */
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

/** The block views and row accessors both routines share. */
function blocks(heads: Int16Array, tails: Int16Array, l: Layout) {
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
  const dots = instance.exports.dots as DotsExport;
  const gather = instance.exports.gather as GatherExport;
  // Query, heads' sums, picked rows, tails' sums, heads, tails: each 16-byte aligned (v128 loads).
  const run = l.maxRun * 4;
  const queryAt = 0;
  const headOutAt = align16(l.stride * 2);
  const pickedAt = align16(headOutAt + run);
  const tailOutAt = align16(pickedAt + run);
  const headsAt = align16(tailOutAt + run);
  const tailsAt = align16(headsAt + l.rows * l.head * 2);
  const bytes = tailsAt + l.rows * l.tail * 2;
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
  // Views are taken after the one grow: growing detaches earlier ones.
  const buffer = memory.buffer;
  const query = new Int16Array(buffer, queryAt, l.stride);
  const headOut = new Int32Array(buffer, headOutAt, l.maxRun);
  const tailOut = new Int32Array(buffer, tailOutAt, l.maxRun);
  const heads = new Int16Array(buffer, headsAt, l.rows * l.head);
  const tails = new Int16Array(buffer, tailsAt, l.rows * l.tail);
  const headGroups = l.head / 8;
  const tailGroups = l.tail / 8;
  return {
    stride: l.stride,
    head: l.head,
    kind: "wasm-simd",
    ...blocks(heads, tails, l),
    picked: new Int32Array(buffer, pickedAt, l.maxRun),
    setQuery(q) {
      query.fill(0);
      query.set(q);
    },
    headDots(first, count) {
      dots(queryAt, headsAt + first * l.head * 2, count, headGroups, headOutAt);
      return headOut.subarray(0, count);
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
  const query = new Int32Array(l.stride);
  const headOut = new Int32Array(l.maxRun);
  const tailOut = new Int32Array(l.maxRun);
  const picked = new Int32Array(l.maxRun);
  // Math.imul and |0: 32-bit wrapping products and sums, as the kernel's lanes.
  const dot = (block: Int16Array, base: number, from: number, n: number) => {
    let s = 0;
    for (let d = 0; d < n; d++) s = (s + Math.imul(query[from + d]!, block[base + d]!)) | 0;
    return s;
  };
  return {
    stride: l.stride,
    head: l.head,
    kind: "js",
    ...blocks(heads, tails, l),
    picked,
    setQuery(q) {
      query.fill(0);
      query.set(q);
    },
    headDots(first, count) {
      for (let r = 0; r < count; r++) headOut[r] = dot(heads, (first + r) * l.head, 0, l.head);
      return headOut.subarray(0, count);
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
