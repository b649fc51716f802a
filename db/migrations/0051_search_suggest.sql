-- Suggestions: titles that begin with the typed prefix, straight from an
-- index walk. text_pattern_ops compares bytes, so `LIKE 'abc%'` becomes an
-- index range whatever the database collation, and `ORDER BY ... USING ~<~`
-- reads that range already sorted: ten suggestions for a one-letter prefix
-- cost ten index entries, not a sort of every title starting with it.
create index products_title_prefix_idx on products (search_norm(title) text_pattern_ops)
  where status = 'active';
