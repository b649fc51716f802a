/**
 * The shape of the demo catalog's taxonomy (written by hand in data/) and of
 * the products generated from it.
 */

/** Variant dimensions with their labels (see VARIANT_DIMENSIONS in vocab.ts). */
export type VariantDimension = "clothing" | "shoe" | "storage" | "pack" | "bed" | "weight";

/** Colour palettes (see PALETTES in vocab.ts). */
export type Palette = "basic" | "tech" | "upholstery" | "clothing" | "wood" | "metal" | "bright";

/** One leaf category and the product types sold in it. */
export interface LeafSpec {
  name: string;
  /** Product type names, canonical and singular ("Sofa"); `Name:149` sets the type's median price in dollars. */
  types: string[];
  /** Median price in dollars of the leaf's types unless a type says otherwise. */
  price: number;
  /** Title words that describe a feature ("Wireless"); a product has at most one. */
  features?: string[];
  /** Title words for the material ("Oak"); a product has at most one. */
  materials?: string[];
  /** The palette a product's colour comes from; none: the title names no colour. */
  colours?: Palette;
  /** Product-level specifications shown after the type ("1.7 L", "27-inch"). */
  specs?: string[];
  /** What the variants of a product differ in; default: one variant ("Standard"). */
  variants?: VariantDimension;
  /** Sentences about this kind of product; `{type}`, `{brand}`, `{feature}`, `{material}` are filled in. */
  blurbs: string[];
  /** Brands of this leaf besides the group's. */
  brands?: string[];
}

/** A middle category: its brands make every leaf's products. */
export interface GroupSpec {
  name: string;
  brands: string[];
  leaves: LeafSpec[];
}

/** A top-level department. */
export interface DepartmentSpec {
  name: string;
  groups: GroupSpec[];
}

/** A product type with its place in the tree. */
export interface ProductType {
  name: string;
  /** Median price in minor units (cents). */
  medianPrice: number;
  leaf: LeafSpec;
  group: GroupSpec;
  department: DepartmentSpec;
  /** Category slugs: department, group, leaf. */
  path: [string, string, string];
}

/** One generated variant. */
export interface VariantSpec {
  sku: string;
  title: string;
  price: number;
  stock: number;
}

/**
 * One generated product, with the parts its title was built from: tests
 * derive expected search results from these, never from the search engine.
 */
export interface ProductSpec {
  /** 0-based position in the whole generated sequence. */
  index: number;
  slug: string;
  title: string;
  description: string;
  brand: string;
  type: string;
  /** Leaf category slug (the product's category). */
  category: string;
  /** Department, group and leaf slugs. */
  path: [string, string, string];
  model?: string;
  feature?: string;
  material?: string;
  spec?: string;
  colour?: string;
  /** Three views (/media/products/N.svg), so the product page's gallery has something to switch between. */
  images: string[];
  /** Age in days of created_at. */
  ageDays: number;
  variants: VariantSpec[];
  /** Review ratings, oldest first. */
  ratings: number[];
  /** True for the hand-placed products every catalog starts with. */
  planted: boolean;
}
