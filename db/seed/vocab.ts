import type { Palette, VariantDimension } from "./model.ts";

/** Colour names per palette; a product's colour is the last part of its title. */
export const PALETTES: Record<Palette, string[]> = {
  basic: ["Black", "White", "Grey", "Navy", "Blue", "Red", "Green", "Beige"],
  tech: ["Black", "White", "Silver", "Space Grey", "Midnight Blue", "Rose Gold", "Graphite"],
  upholstery: ["Charcoal", "Grey", "Beige", "Sage Green", "Navy", "Mustard", "Terracotta", "Cream", "Black"],
  clothing: ["Black", "White", "Navy", "Olive", "Grey", "Burgundy", "Camel", "Sky Blue", "Red", "Stone"],
  wood: ["Natural Oak", "Walnut", "White", "Black"],
  metal: ["Stainless Steel", "Black", "White", "Cream", "Copper", "Sage Green"],
  bright: ["Black", "Blue", "Red", "Orange", "Green", "Yellow", "Grey", "Purple"],
};

/** Variant labels in order, and each one's price factor against the first. */
export const VARIANT_DIMENSIONS: Record<
  VariantDimension,
  { labels: string[]; factor: number[]; take: [number, number] }
> = {
  clothing: { labels: ["XS", "S", "M", "L", "XL", "XXL"], factor: [1, 1, 1, 1, 1, 1.05], take: [3, 6] },
  shoe: {
    labels: ["UK 5", "UK 6", "UK 7", "UK 8", "UK 9", "UK 10", "UK 11", "UK 12"],
    factor: [1, 1, 1, 1, 1, 1, 1, 1],
    take: [4, 8],
  },
  storage: {
    labels: ["64 GB", "128 GB", "256 GB", "512 GB", "1 TB"],
    factor: [1, 1.15, 1.3, 1.55, 1.9],
    take: [2, 3],
  },
  pack: {
    labels: ["Single", "Pack of 2", "Pack of 4", "Pack of 6"],
    factor: [1, 1.85, 3.4, 4.8],
    take: [2, 4],
  },
  bed: { labels: ["Single", "Double", "King", "Super King"], factor: [1, 1.2, 1.4, 1.6], take: [3, 4] },
  weight: {
    labels: ["2 kg", "4 kg", "6 kg", "8 kg", "10 kg", "12 kg", "16 kg", "20 kg"],
    factor: [1, 1.6, 2.2, 2.8, 3.4, 4, 5, 6],
    take: [3, 6],
  },
};

/**
 * Invented model-line names. Each brand owns a few (chosen by a hash of its
 * name), so "Auralis Nimbus" is a line across the brand's products.
 */
export const MODEL_NAMES = [
  "Nimbus",
  "Vega",
  "Orbit",
  "Pulse",
  "Atlas",
  "Echo",
  "Terra",
  "Nova",
  "Aria",
  "Luma",
  "Zenith",
  "Drift",
  "Halo",
  "Robin",
  "Ember",
  "Coast",
  "Meridian",
  "Solace",
  "Arc",
  "Vista",
  "Prism",
  "Sparrow",
  "Harbor",
  "Flint",
  "Aurora",
  "Cascade",
  "Sierra",
  "Tundra",
  "Mesa",
  "Breeze",
  "Comet",
  "Falcon",
  "Osprey",
  "Heron",
  "Lynx",
  "Otter",
  "Juniper",
  "Maple",
  "Cedar",
  "Willow",
  "Aspen",
  "Birch",
  "Finch",
  "Hazel",
  "Fjord",
  "Glacier",
  "Canyon",
  "Delta",
  "Lagoon",
  "Reef",
  "Quartz",
  "Onyx",
  "Opal",
  "Jade",
  "Cobalt",
  "Indigo",
  "Sable",
  "Ivory",
  "Slate",
  "Basalt",
  "Lark",
  "Radiant",
  "Voyager",
  "Pioneer",
  "Ranger",
  "Nomad",
  "Scout",
  "Trek",
  "Rover",
  "Pilot",
  "Sonnet",
  "Ballad",
  "Kite",
  "Cadence",
  "Rhythm",
  "Allegro",
  "Solstice",
  "Equinox",
  "Horizon",
  "Zephyr",
];

/** What follows a model name sometimes ("Nimbus 300", "Vega Pro"). */
export const MODEL_SUFFIXES = [
  "2",
  "3",
  "5",
  "7",
  "10",
  "100",
  "300",
  "500",
  "700",
  "X",
  "Pro",
  "Max",
  "Mini",
  "Lite",
  "Plus",
  "S",
];

/** Sentences that fit any product, after the specific ones. */
export const GENERIC_SENTENCES = [
  "Backed by a two-year warranty.",
  "Ships in recyclable, plastic-free packaging.",
  "Designed in-house by the {brand} team.",
  "Free returns within 30 days.",
  "Thoughtfully designed and built to last.",
  "A favourite with customers for its quality and value.",
  "Easy to care for and made for everyday use.",
  "Covered by {brand}'s repair service for years to come.",
];

/** Review titles and bodies by rating (1..5). */
export const REVIEW_TEXT: Record<number, { titles: string[]; bodies: string[] }> = {
  1: {
    titles: ["Disappointed", "Stopped working", "Not as described"],
    bodies: [
      "Broke within a few weeks and support was slow to answer.",
      "Quality is far below what the photos suggest.",
    ],
  },
  2: {
    titles: ["Not great", "Expected more"],
    bodies: [
      "Does the job, but feels cheap for the price.",
      "Some good ideas, let down by the build quality.",
    ],
  },
  3: {
    titles: ["Okay", "Decent for the price"],
    bodies: ["Fine for everyday use, nothing special.", "Works as expected, with a few small annoyances."],
  },
  4: {
    titles: ["Very good", "Happy with it", "Solid choice"],
    bodies: [
      "Well made and works well; one or two small niggles.",
      "Good value, arrived quickly and does what it says.",
    ],
  },
  5: {
    titles: ["Excellent", "Love it", "Exactly what I wanted", "Highly recommend"],
    bodies: [
      "Great quality and looks even better in person.",
      "Use it every day and it still feels like new.",
      "Would buy again without hesitation.",
    ],
  },
};
