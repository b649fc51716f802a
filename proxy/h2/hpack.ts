import { encode as HUFFMAN_CODES } from "hpack.js/lib/hpack/huffman.js";
import { table as STATIC } from "hpack.js/lib/hpack/static-table.js";

/**
 * HPACK (RFC 7541) decoding for the native HTTP/2 layer: the full format
 * (dynamic table, Huffman). The tables (static table, Huffman code) come from
 * hpack.js; the coding is ours because hpack.js decodes bit by bit through
 * streams, too slow per request. The response side is `hpack-encoder.ts`.
 */

/** A field of a decoded header list: [name, value]. */
export type Field = [string, string];

/** A malformed header block (a connection error: COMPRESSION_ERROR). */
export class HpackError extends Error {}

// Huffman decode trie: node n has children at [2n] (bit 0) and [2n+1] (bit 1);
// a child > 0 is a node, < 0 is a leaf holding -(symbol + 1), 0 is unset.
const trie = new Int32Array(2 * 512);
{
  let nodes = 1;
  HUFFMAN_CODES.forEach(([bits, code], sym) => {
    let n = 0;
    for (let i = bits - 1; i > 0; i--) {
      const at = 2 * n + ((code >>> i) & 1);
      if (trie[at] === 0) trie[at] = nodes++;
      n = trie[at]!;
    }
    trie[2 * n + (code & 1)] = -(sym + 1);
  });
}

function huffmanDecode(b: Uint8Array, from: number, to: number): string {
  let out = "";
  let n = 0;
  let depth = 0;
  let ones = true;
  for (let i = from; i < to; i++) {
    const byte = b[i]!;
    for (let s = 7; s >= 0; s--) {
      const bit = (byte >>> s) & 1;
      const next = trie[2 * n + bit]!;
      depth++;
      ones &&= bit === 1;
      if (next < 0) {
        if (next === -257) throw new HpackError("EOS in a string");
        out += String.fromCharCode(-next - 1);
        n = 0;
        depth = 0;
        ones = true;
      } else if (next === 0) throw new HpackError("bad Huffman code");
      else n = next;
    }
  }
  // Padding: the most significant bits of EOS (all ones), shorter than a byte (§5.2).
  if (depth > 7 || !ones) throw new HpackError("bad Huffman padding");
  return out;
}

/** The static table as fields, made once: decoded lists share them (nobody changes a decoded field). */
const STATIC_FIELDS: Field[] = STATIC.map((e): Field => [e.name, e.value]);

/** Decodes the header blocks of one connection (it owns the dynamic table). */
export class HpackDecoder {
  private dyn: Field[] = []; // newest first
  private size = 0;
  private at = 0;
  /** the table size in force (the client may lower it with a size update) */
  private max: number;

  /** `maxTable`: the SETTINGS_HEADER_TABLE_SIZE this side advertised (4096 by default) */
  constructor(private readonly maxTable = 4096) {
    this.max = maxTable;
  }

  /**
   * Decodes a whole block. Every block must be decoded, even for a refused
   * stream, to keep the dynamic table in step; `maxListBytes` stops collecting
   * (returns null) but not decoding.
   */
  decode(b: Uint8Array, maxListBytes: number): Field[] | null {
    const out: Field[] = [];
    let listBytes = 0;
    this.at = 0;
    while (this.at < b.length) {
      const first = b[this.at]!;
      let field: Field | null = null;
      if (first & 0x80) field = this.entry(this.int(b, 7));
      else if (first & 0x40) {
        field = this.literal(b, 6);
        this.add(field);
      } else if (first & 0x20) {
        const size = this.int(b, 5);
        if (size > this.maxTable) throw new HpackError("table size over the limit");
        this.evict(size);
        this.max = size;
      } else field = this.literal(b, 4);
      if (field) {
        listBytes += field[0].length + field[1].length + 32;
        if (listBytes <= maxListBytes) out.push(field);
      }
    }
    return listBytes > maxListBytes ? null : out;
  }

  private int(b: Uint8Array, prefix: number): number {
    const mask = (1 << prefix) - 1;
    let v = b[this.at++]! & mask;
    if (v < mask) return v;
    let shift = 0;
    for (;;) {
      if (this.at >= b.length || shift > 21) throw new HpackError("bad integer");
      const byte = b[this.at++]!;
      v += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return v;
    }
  }

  private str(b: Uint8Array): string {
    if (this.at >= b.length) throw new HpackError("truncated string");
    const huffman = (b[this.at]! & 0x80) !== 0;
    const len = this.int(b, 7);
    const end = this.at + len;
    if (end > b.length) throw new HpackError("truncated string");
    const s = huffman
      ? huffmanDecode(b, this.at, end)
      : Buffer.from(b.buffer, b.byteOffset + this.at, len).latin1Slice(0, len);
    this.at = end;
    return s;
  }

  private literal(b: Uint8Array, prefix: number): Field {
    const index = this.int(b, prefix);
    const name = index === 0 ? this.str(b) : this.entry(index)[0];
    return [name, this.str(b)];
  }

  private entry(index: number): Field {
    if (index === 0) throw new HpackError("index 0");
    if (index <= STATIC.length) return STATIC_FIELDS[index - 1]!;
    const e = this.dyn[index - STATIC.length - 1];
    if (!e) throw new HpackError("index out of the table");
    return e;
  }

  private add(f: Field): void {
    const bytes = f[0].length + f[1].length + 32;
    if (bytes > this.max) {
      this.dyn = [];
      this.size = 0;
      return;
    }
    this.evict(this.max - bytes);
    this.dyn.unshift(f);
    this.size += bytes;
  }

  private evict(limit: number): void {
    while (this.size > limit) {
      const e = this.dyn.pop()!;
      this.size -= e[0].length + e[1].length + 32;
    }
  }
}
