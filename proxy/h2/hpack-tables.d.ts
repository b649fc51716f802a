// Types for the parts of hpack.js used by `hpack.ts` and the tests (the package ships no types).
declare module "hpack.js/lib/hpack/static-table.js" {
  /** RFC 7541 Appendix A, index 1..61 at [0..60] */
  export const table: { name: string; value: string }[];
}
declare module "hpack.js/lib/hpack/huffman.js" {
  /** RFC 7541 Appendix B: [bit length, code] per symbol 0..256 */
  export const encode: [number, number][];
}
declare module "hpack.js" {
  interface Item {
    name: string;
    value: string;
  }
  const hpack: {
    compressor: {
      create(o: { table: { maxSize: number } }): { write(items: Item[]): void; read(): unknown };
    };
    decompressor: {
      create(o: { table: { maxSize: number } }): {
        write(b: Buffer): void;
        execute(): void;
        read(): Item | null;
      };
    };
  };
  export default hpack;
}
