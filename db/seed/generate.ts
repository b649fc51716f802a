import type { ProductSpec, ProductType, VariantSpec } from "./model.ts";
import { PLANTED, type PlantedProduct } from "./planted.ts";
import { createRng, hashString, type Rng } from "./prng.ts";
import { brandsOf, productTypes, slugify } from "./taxonomy.ts";
import { GENERIC_SENTENCES, MODEL_NAMES, MODEL_SUFFIXES, PALETTES, VARIANT_DIMENSIONS } from "./vocab.ts";

/** The catalog seed used unless a caller picks another. */
export const DEFAULT_SEED = 20261201;

/** How many model lines each brand has. */
const MODELS_PER_BRAND = 4;
/** Spread of prices around a type's median (sigma of the log-normal). */
const PRICE_SIGMA = 0.35;

const TYPES = productTypes();
const TYPE_BY_NAME = new Map(TYPES.map((t) => [t.name, t]));
// Cheap things are listed more often than expensive ones (phone cases outnumber treadmills about 3:1).
const CUMULATIVE_WEIGHTS = (() => {
  let sum = 0;
  return TYPES.map((t) => (sum += Math.min(2, (5000 / t.medianPrice) ** 0.25)));
})();

/** Options of `generateProducts`. */
export interface GenerateOptions {
  /** Number of products. */
  count: number;
  /** Position of the first one in the endless sequence (to append to an existing catalog). */
  offset?: number;
  seed?: number;
  /** Most reviews any product gets (the number of reviewer accounts). */
  maxReviews?: number;
}

/** Products `offset .. offset+count-1` of the demo sequence; the first PLANTED.length are the planted ones. */
export function generateProducts(opts: GenerateOptions): ProductSpec[] {
  const offset = opts.offset ?? 0;
  const out: ProductSpec[] = new Array(opts.count);
  for (let i = 0; i < opts.count; i++)
    out[i] = generateProduct(offset + i, opts.seed ?? DEFAULT_SEED, opts.maxReviews ?? 300);
  return out;
}

/** Model lines of a brand, the same in every catalog. */
export function modelsOf(brand: string): string[] {
  const h = hashString(brand);
  return Array.from({ length: MODELS_PER_BRAND }, (_, k) => MODEL_NAMES[(h + k * 37) % MODEL_NAMES.length]!);
}

function pickType(rng: Rng): ProductType {
  const x = rng.next() * CUMULATIVE_WEIGHTS.at(-1)!;
  let lo = 0;
  let hi = CUMULATIVE_WEIGHTS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE_WEIGHTS[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return TYPES[lo]!;
}

/** The title parts of a random product of a random type. */
function randomParts(rng: Rng): PlantedProduct & { productType: ProductType } {
  const productType = pickType(rng);
  const { leaf } = productType;
  const brand = rng.pick(brandsOf(productType));
  const model = rng.chance(0.55)
    ? `${rng.pick(modelsOf(brand))}${rng.chance(0.5) ? ` ${rng.pick(MODEL_SUFFIXES)}` : ""}`
    : undefined;
  return {
    productType,
    type: productType.name,
    brand,
    model: model ?? "",
    feature: notIn(productType.name, leaf.features && rng.chance(0.6) ? rng.pick(leaf.features) : undefined),
    material: notIn(
      productType.name,
      leaf.materials && rng.chance(0.8) ? rng.pick(leaf.materials) : undefined,
    ),
    spec: leaf.specs ? rng.pick(leaf.specs) : undefined,
    colour: leaf.colours ? rng.pick(PALETTES[leaf.colours]) : undefined,
  };
}

/** The word unless the type name already says it ("GPS GPS Running Watch"). */
function notIn(typeName: string, word: string | undefined): string | undefined {
  return word && !typeName.toLowerCase().includes(word.toLowerCase()) ? word : undefined;
}

/** "Auralis Quietude 900 Noise-Cancelling Over-Ear Headphones, Black". */
export function titleOf(p: PlantedProduct): string {
  const head = [p.brand, p.model, p.feature, p.material, p.type].filter(Boolean).join(" ");
  return [head, p.spec, p.colour].filter(Boolean).join(", ");
}

function generateProduct(index: number, seed: number, maxReviews: number): ProductSpec {
  const rng = createRng(seed, index);
  const planted = index < PLANTED.length;
  const parts = planted ? plantedParts(PLANTED[index]!) : randomParts(rng);
  const type = parts.productType;
  const title = titleOf(parts);
  const variants = variantsOf(rng, type, index, parts.brand);
  return {
    index,
    slug: `${slugify(title)}-${index + 1}`,
    title,
    description: describe(rng, parts, type, variants),
    brand: parts.brand,
    type: type.name,
    category: type.path[2],
    path: type.path,
    ...(parts.model ? { model: parts.model } : {}),
    ...(parts.feature ? { feature: parts.feature } : {}),
    ...(parts.material ? { material: parts.material } : {}),
    ...(parts.spec ? { spec: parts.spec } : {}),
    ...(parts.colour ? { colour: parts.colour } : {}),
    images: [0, 4, 8].map((k) => `/media/products/${1 + ((hashString(type.name) + k) % 12)}.svg`),
    ageDays: rng.next() * 730,
    variants,
    ratings: ratingsOf(rng, maxReviews),
    planted,
  };
}

function plantedParts(p: PlantedProduct): PlantedProduct & { productType: ProductType } {
  const productType = TYPE_BY_NAME.get(p.type);
  if (!productType) throw new Error(`planted product type "${p.type}" is not in the taxonomy`);
  return { ...p, productType };
}

const PLACEHOLDER = /\{brand\} \{type\}|\{(brand|type|feature|material)\}/g;

/** Fills `{brand} {type}` with the full product name and the other placeholders with their words. */
function fill(template: string, p: PlantedProduct): string {
  return template.replace(PLACEHOLDER, (whole, key: string | undefined) => {
    if (!key) return [p.brand, p.model, p.type].filter(Boolean).join(" ");
    if (key === "brand") return p.brand;
    if (key === "type") return p.type.toLowerCase();
    return (key === "feature" ? p.feature : p.material)?.toLowerCase() ?? whole;
  });
}

/** Two or three sentences about the kind of product, its attributes, and a general one. */
function describe(rng: Rng, p: PlantedProduct, type: ProductType, variants: VariantSpec[]): string {
  const blurbs = type.leaf.blurbs;
  const sentences = [fill(blurbs[0]!, p)];
  if (blurbs.length > 1) sentences.push(fill(blurbs[1 + Math.floor(rng.next() * (blurbs.length - 1))]!, p));
  if (p.material) sentences.push(`Material: ${p.material}.`);
  if (p.colour) sentences.push(`Colour: ${p.colour}.`);
  if (variants.length > 1) sentences.push(`Available in ${variants.map((v) => v.title).join(", ")}.`);
  sentences.push(fill(rng.pick(GENERIC_SENTENCES), p));
  return sentences.join(" ");
}

/** A price in cents ending in .99, log-normally spread around `median` cents. */
function priceAround(rng: Rng, median: number): number {
  const dollars = Math.max(1, Math.round((median / 100) * Math.exp(PRICE_SIGMA * rng.normal())));
  return dollars * 100 - 1;
}

function stockLevel(rng: Rng): number {
  const r = rng.next();
  if (r < 0.07) return 0;
  if (r < 0.17) return rng.int(1, 5);
  return Math.min(500, Math.max(6, Math.round(Math.exp(3.2 + rng.normal()))));
}

function variantsOf(rng: Rng, type: ProductType, index: number, brand: string): VariantSpec[] {
  const base = priceAround(rng, type.medianPrice);
  const code = brand
    .replace(/[^A-Za-z]/g, "")
    .slice(0, 3)
    .toUpperCase();
  const sku = (v: number) => `${code}-${index + 1}-${v + 1}`;
  const dim = type.leaf.variants;
  if (!dim) return [{ sku: sku(0), title: "Standard", price: base, stock: stockLevel(rng) }];
  const { labels, factor, take } = VARIANT_DIMENSIONS[dim];
  const n = rng.int(take[0], Math.min(take[1], labels.length));
  const start = rng.int(0, labels.length - n);
  return Array.from({ length: n }, (_, v) => ({
    sku: sku(v),
    title: labels[start + v]!,
    // Bigger sizes cost more relative to the product's smallest one, still ending in .99.
    price: Math.round(((base + 1) * factor[start + v]!) / factor[start]! / 100) * 100 - 1,
    stock: stockLevel(rng),
  }));
}

/**
 * Ratings as in real shops: two in five products have none, a long tail
 * has hundreds; each product has a quality around 4.2 stars, and most
 * reviews are 4 or 5 stars with an occasional angry 1.
 */
function ratingsOf(rng: Rng, maxReviews: number): number[] {
  if (rng.chance(0.4)) return [];
  const count = Math.min(maxReviews, Math.max(1, Math.floor(Math.exp(0.6 + 1.2 * rng.normal()))));
  const quality = Math.min(4.95, Math.max(2.2, 4.2 + 0.45 * rng.normal()));
  return Array.from({ length: count }, () => {
    if (rng.chance(0.04)) return 1;
    return Math.min(5, Math.max(1, Math.round(quality + 0.3 + 0.8 * rng.normal())));
  });
}
