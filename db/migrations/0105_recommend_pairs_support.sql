-- Co-purchase lookups (server/recommend/store.ts coPurchaseScores) read a
-- product's pairs with support >= REC_MIN_SUPPORT. Most pairs are seen once
-- and fail that test, so through the primary key every one of them was read
-- from the heap (a for-you seed set of 50 products: ~4800 rows, 780 pages,
-- ~10 ms); this index answers it from the index alone (~1 ms).
create index rec_pairs_support_idx on rec_pairs (product_id, support) include (other_id, weight);
