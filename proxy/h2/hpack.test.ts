import { describe, expect, test } from "bun:test";
import hpack from "hpack.js";
import { type Field, HpackDecoder, HpackError } from "./hpack.ts";

/** hpack.js's own encoder (Huffman, dynamic table) as the reference client. */
function clientBlock(comp: ReturnType<typeof hpack.compressor.create>, fields: Field[]): Buffer {
  comp.write(fields.map(([name, value]) => ({ name, value })));
  return comp.read() as Buffer;
}

describe("HpackDecoder", () => {
  test("decodes a client's blocks (Huffman, dynamic table) across requests", () => {
    const comp = hpack.compressor.create({ table: { maxSize: 4096 } });
    const dec = new HpackDecoder();
    const req: Field[] = [
      [":method", "GET"],
      [":path", "/api/who?q=1"],
      [":authority", "shop.example:8443"],
      ["user-agent", "h2load nghttp2/1.52.0"],
      ["x-custom", "a value with spaces ~ and |"],
    ];
    expect(dec.decode(clientBlock(comp, req), 1 << 20)).toEqual(req);
    // The second block refers to the dynamic table the first one filled.
    const again = clientBlock(comp, req);
    expect(again.length).toBeLessThan(12);
    expect(dec.decode(again, 1 << 20)).toEqual(req);
  });

  test("a list over the size limit yields null but keeps the table in step", () => {
    const comp = hpack.compressor.create({ table: { maxSize: 4096 } });
    const dec = new HpackDecoder();
    const big: Field[] = [
      [":path", "/"],
      ["x-big", "y".repeat(500)],
    ];
    expect(dec.decode(clientBlock(comp, big), 200)).toBeNull();
    expect(dec.decode(clientBlock(comp, big), 1 << 20)).toEqual(big);
  });

  test("malformed blocks throw HpackError", () => {
    const dec = new HpackDecoder();
    expect(() => dec.decode(Buffer.from([0x80]), 1000)).toThrow(HpackError); // index 0
    expect(() => dec.decode(Buffer.from([0xff, 0x7f]), 1000)).toThrow(HpackError); // beyond the tables
    expect(() => dec.decode(Buffer.from([0x00, 0x05, 0x61]), 1000)).toThrow(HpackError); // truncated
    expect(() => dec.decode(Buffer.from([0x3f, 0xe1, 0x7f]), 1000)).toThrow(HpackError); // table over 4096
  });
});
