import type { SearchSourceCategory } from "../../catalog/search-source.ts";

/**
 * The category tree as dense indexes: products store a category index, so
 * facet counts are an Int32Array indexed by it and the `category=` filter a
 * Uint8Array of allowed indexes.
 */
export class CategoryTable {
  readonly slugs: string[] = [];
  readonly ids: number[] = [];
  readonly parent: Int32Array;
  private readonly indexOfId = new Map<number, number>();
  private readonly indexOfSlug = new Map<string, number>();

  constructor(rows: SearchSourceCategory[]) {
    this.parent = new Int32Array(rows.length).fill(-1);
    rows.forEach((r, i) => {
      this.indexOfId.set(r.id, i);
      this.indexOfSlug.set(r.slug, i);
      this.slugs.push(r.slug);
      this.ids.push(r.id);
    });
    rows.forEach((r, i) => {
      if (r.parent_id !== null) this.parent[i] = this.indexOfId.get(r.parent_id) ?? -1;
    });
  }

  get size(): number {
    return this.slugs.length;
  }

  /** Dense index of a category id; -1 when unknown (the caller reloads the tree). */
  index(id: number): number {
    return this.indexOfId.get(id) ?? -1;
  }

  /** Allowed-category mask for `category=slug` (the category and its descendants); null when unknown. */
  subtree(slug: string): Uint8Array | null {
    const root = this.indexOfSlug.get(slug);
    if (root === undefined) return null;
    const mask = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++) {
      // Walk up: the tree is shallow, and a guard stops a (corrupt) cycle.
      for (let c = i, hops = 0; c !== -1 && hops < 64; c = this.parent[c]!, hops++) {
        if (c === root) {
          mask[i] = 1;
          break;
        }
      }
    }
    return mask;
  }

  /** Per-category counts rolled up to every ancestor, as `{slug, count}` by count desc, slug. */
  rollUp(counts: Int32Array): { slug: string; count: number }[] {
    const total = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const n = counts[i]!;
      if (!n) continue;
      for (let c = i, hops = 0; c !== -1 && hops < 64; c = this.parent[c]!, hops++) total[c] = total[c]! + n;
    }
    const out: { slug: string; count: number }[] = [];
    for (let i = 0; i < this.size; i++) if (total[i]) out.push({ slug: this.slugs[i]!, count: total[i]! });
    return out.sort((a, b) => b.count - a.count || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  }
}
