import { DEPARTMENTS } from "./data/index.ts";
import type { ProductType } from "./model.ts";

/** URL slug of a name: "Men's Shirts" -> "mens-shirts", "Linden & Co" -> "linden-co". */
export function slugify(s: string): string {
  return s
    .toLowerCase()
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** A category row to insert: parents come before their children. */
export interface CategoryNode {
  slug: string;
  name: string;
  parent: string | null;
  position: number;
}

/** The category tree (department > group > leaf) in insertion order. */
export function categoryNodes(): CategoryNode[] {
  const nodes: CategoryNode[] = [];
  const seen = new Set<string>();
  const add = (name: string, parent: string | null) => {
    const slug = slugify(name);
    // Slugs are unique across the tree; a repeated name in data/ is a mistake there.
    if (seen.has(slug)) throw new Error(`category slug "${slug}" appears twice in the demo taxonomy`);
    seen.add(slug);
    nodes.push({ slug, name, parent, position: nodes.length });
    return slug;
  };
  for (const d of DEPARTMENTS) {
    const ds = add(d.name, null);
    for (const g of d.groups) {
      const gs = add(g.name, ds);
      for (const l of g.leaves) add(l.name, gs);
    }
  }
  return nodes;
}

/** Every product type with its median price and place in the tree; type names are unique. */
export function productTypes(): ProductType[] {
  const types: ProductType[] = [];
  const seen = new Set<string>();
  for (const department of DEPARTMENTS) {
    for (const group of department.groups) {
      for (const leaf of group.leaves) {
        for (const entry of leaf.types) {
          const [name, price] = entry.split(":") as [string, string | undefined];
          if (seen.has(name)) throw new Error(`product type "${name}" appears twice in the demo taxonomy`);
          seen.add(name);
          types.push({
            name,
            medianPrice: Math.round((price === undefined ? leaf.price : Number(price)) * 100),
            leaf,
            group,
            department,
            path: [slugify(department.name), slugify(group.name), slugify(leaf.name)],
          });
        }
      }
    }
  }
  return types;
}

/** Brands that make products of this type: the group's, then the leaf's own. */
export function brandsOf(type: ProductType): string[] {
  return [...type.group.brands, ...(type.leaf.brands ?? [])];
}
