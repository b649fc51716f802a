/**
 * The products index: settings and mappings. `dynamic: strict` so a document
 * with an unexpected field fails loudly instead of growing the mapping.
 *
 * - `title` is stemmed (english) for matching, with a `search_as_you_type`
 *   sub-field (plain folding, shingles and edge n-grams built in) for
 *   suggestions and the prefix part of queries;
 * - `brand.keyword` filters and aggregates exactly, as the list's brand filter does;
 * - `categories` holds the product's category slug and every ancestor's, so
 *   a term filter on one slug includes descendants, and its terms
 *   aggregation counts exactly what that filter would return.
 */
export const INDEX_DEFINITION = {
  settings: {
    number_of_shards: 1,
    analysis: {
      analyzer: {
        folded: { type: "custom", tokenizer: "standard", filter: ["lowercase", "asciifolding"] },
        folded_english: {
          type: "custom",
          tokenizer: "standard",
          filter: ["lowercase", "asciifolding", "english_possessive", "english_stemmer"],
        },
      },
      filter: {
        english_possessive: { type: "stemmer", language: "possessive_english" },
        english_stemmer: { type: "stemmer", language: "english" },
      },
    },
  },
  mappings: {
    dynamic: "strict",
    properties: {
      id: { type: "long" },
      slug: { type: "keyword" },
      title: {
        type: "text",
        analyzer: "folded_english",
        fields: { suggest: { type: "search_as_you_type", analyzer: "folded" } },
      },
      brand: { type: "text", analyzer: "folded", fields: { keyword: { type: "keyword" } } },
      description: { type: "text", analyzer: "folded_english" },
      categories: { type: "keyword" },
      min_price: { type: "long" },
      in_stock: { type: "boolean" },
      rating: { type: "float" },
      rating_count: { type: "integer" },
      created_at: { type: "date" },
    },
  },
} as const;

/** One product as indexed. `rating` is the average (0 while unrated). */
export interface ProductDocument {
  id: number;
  slug: string;
  title: string;
  brand: string;
  description: string;
  categories: string[];
  min_price: number;
  in_stock: boolean;
  rating: number;
  rating_count: number;
  created_at: string;
}
