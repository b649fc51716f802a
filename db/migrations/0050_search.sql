-- Search: a weighted full-text vector on products, kept current by a trigger,
-- plus a trigram index on titles for typo tolerance and suggestions.
--
-- Text configuration: the vector holds BOTH the 'english' lexemes (stemmed,
-- so "phone case" finds "Phone Cases") and the 'simple' ones (unstemmed, so a
-- prefix such as "runni:*" still finds "running", and brand names and model
-- numbers are kept as typed). 'english' alone makes prefix matching unreliable
-- (the stem of a partial word is not a prefix of the stem of the whole word)
-- and drops stop words; 'simple' alone loses plural/singular matching. The
-- price is a vector about twice as long, which the GIN index absorbs well.
--
-- unaccent() is only STABLE (it looks its dictionary up through search_path),
-- so it cannot appear in an index or a trigger-maintained value that must not
-- drift. The wrapper names the dictionary schema-qualified and is declared
-- IMMUTABLE, which is true as long as the unaccent rules file is not edited.

create function search_norm(t text) returns text
language sql immutable strict parallel safe as $$
  select lower(public.unaccent('public.unaccent'::regdictionary, t))
$$;

create function search_document(title text, brand text, description text) returns tsvector
language sql immutable parallel safe as $$
  select setweight(to_tsvector('english'::regconfig, search_norm(coalesce(title, ''))), 'A')
      || setweight(to_tsvector('simple'::regconfig, search_norm(coalesce(title, ''))), 'A')
      || setweight(to_tsvector('english'::regconfig, search_norm(coalesce(brand, ''))), 'B')
      || setweight(to_tsvector('simple'::regconfig, search_norm(coalesce(brand, ''))), 'B')
      || setweight(to_tsvector('english'::regconfig, search_norm(coalesce(description, ''))), 'C')
      || setweight(to_tsvector('simple'::regconfig, search_norm(coalesce(description, ''))), 'C')
$$;

alter table products add column search_vector tsvector;

-- Row-level and BEFORE: the vector is written with the row itself, in the
-- same transaction, whoever writes (admin routes, seeds, imports). Only the
-- three source columns fire it, so stock and rating updates cost nothing.
create function products_search_vector() returns trigger language plpgsql as $$
begin
  new.search_vector := search_document(new.title, new.brand, new.description);
  return new;
end $$;

create trigger products_search_vector_ins before insert on products
  for each row execute function products_search_vector();
create trigger products_search_vector_upd before update of title, brand, description on products
  for each row execute function products_search_vector();

update products set search_vector = search_document(title, brand, description);

-- Both partial on active products: search never shows archived ones, and
-- every search query repeats `status = 'active'` so the planner can use them.
create index products_search_idx on products using gin (search_vector) where status = 'active';
create index products_title_trgm_idx on products using gin (search_norm(title) gin_trgm_ops)
  where status = 'active';
-- Facets of a search without text (or with a very broad one) count over most
-- of the catalog; this narrow covering index lets that be an index-only scan
-- instead of reading the whole (wide) products heap.
create index products_facets_idx on products (category_id, brand, min_price, rating_sum, rating_count, in_stock)
  where status = 'active';
