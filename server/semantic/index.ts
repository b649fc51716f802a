import type { ProductContent } from "../catalog/content.ts";
import { tokens } from "../recommend/vectors.ts";
import { buildIvf, type IvfIndex, searchIvf } from "./ann.ts";
import { embed, type WordVectors } from "./word-vectors.ts";

/**
 * Product vectors: row i is product `ids[i]`; `ann` holds the rows (regrouped
 * by cell and quantised to 16 bits: the index keeps the only copy). No string
 * per product is kept: 100k slugs were ~8 MB of heap for the GC to walk.
 */
export interface ProductVectors {
  ids: Int32Array;
  ann: IvfIndex;
}

/** Products embedded between two yields to the event loop. */
const YIELD_PRODUCTS = 500;
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A product's meaning as the mean word vector of its title (2×), category
 * name and variant titles (1×) and the first 40 description words (0.5×).
 * Brand names are left out: they are rarely English words and would pull
 * unrelated products of one brand together.
 */
export function productVector(v: WordVectors, p: ProductContent): Float32Array | null {
  const words: string[] = [];
  const weights: number[] = [];
  const add = (ts: string[], w: number) => {
    for (const t of ts) {
      words.push(t);
      weights.push(w);
    }
  };
  add(tokens(p.title), 2);
  add(tokens(p.category), 1);
  add(p.variantTitles.flatMap(tokens), 1);
  add(tokens(p.description).slice(0, 40), 0.5);
  return embed(v, words, weights);
}

/**
 * Collects product vectors in one growing Float32Array, so a catalog can be
 * embedded chunk by chunk as it is read (100k products' text never sits in
 * memory at once), then indexes them.
 */
export class ProductVectorBuilder {
  private readonly ids: number[] = [];
  private data: Float32Array;
  constructor(private readonly words: WordVectors) {
    this.data = new Float32Array(1024 * words.dimensions);
  }

  /** Adds the products that have a known word (the others cannot be found by meaning). */
  add(products: ProductContent[]): void {
    const dims = this.words.dimensions;
    for (const p of products) {
      const vec = productVector(this.words, p);
      if (!vec) continue;
      const at = this.ids.length * dims;
      if (at + dims > this.data.length) {
        const bigger = new Float32Array(this.data.length * 2);
        bigger.set(this.data);
        this.data = bigger;
      }
      this.data.set(vec, at);
      this.ids.push(p.id);
    }
  }

  /** The float vectors so far, row i = the i-th product added with a vector (for measurements). */
  matrix(): Float32Array {
    return this.data.subarray(0, this.ids.length * this.words.dimensions);
  }

  /**
   * The vectors and their nearest-neighbour index (built yielding to the
   * event loop). The float rows are dropped afterwards: the index keeps int16.
   */
  async finish(): Promise<ProductVectors> {
    const ann = await buildIvf(this.matrix(), this.words.dimensions);
    this.data = new Float32Array(0);
    return { ids: Int32Array.from(this.ids), ann };
  }
}

/**
 * Builds the vectors of `products` (those without a known word are left out)
 * and their nearest-neighbour index, yielding to the event loop as it goes
 * (100k products take seconds of CPU; requests keep being answered meanwhile).
 */
export async function buildProductVectors(
  v: WordVectors,
  products: ProductContent[],
  /** Receives the float rows before they are quantised (measurements compare against them). */
  floats?: (matrix: Float32Array) => void,
): Promise<ProductVectors> {
  const builder = new ProductVectorBuilder(v);
  for (let i = 0; i < products.length; i += YIELD_PRODUCTS) {
    await pause();
    builder.add(products.slice(i, i + YIELD_PRODUCTS));
  }
  floats?.(builder.matrix().slice());
  return builder.finish();
}

/**
 * The `k` products nearest to `query` by cosine, approximately (the IVF index
 * of ann.ts: exact below a few thousand products, ~97 % recall@50 on the
 * seeded 100k catalog).
 */
export function nearest(
  index: ProductVectors,
  query: Float32Array,
  k: number,
): { id: number; score: number }[] {
  return searchIvf(index.ann, query, k).map((h) => ({ id: index.ids[h.row]!, score: h.score }));
}
