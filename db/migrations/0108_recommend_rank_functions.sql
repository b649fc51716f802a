-- One product's bought-together and similar lists (server/recommend/store.ts
-- rankForProduct) as PL/pgSQL functions, so that their plans are made once
-- per connection instead of on every request.
--
-- As one prepared statement, the bought-together ranking was planned again on
-- every call: Postgres compares the generic plan's estimate (support >= $n
-- read as a third of a product's pairs) with the custom plans' (support >= 2:
-- one pair), finds the generic one dearer and keeps making custom plans; on
-- the 100k catalog that was 0.8 ms of planning for 0.14 ms of execution, and
-- the slug lookup in the same statement made Postgres plan `products` (15
-- indexes) each time too. A database- or connection-wide
-- plan_cache_mode = force_generic_plan fixes this but ruins the product list's
-- dynamic filters, which need custom plans. PL/pgSQL keeps each statement's
-- plan for the session, and the SET clause below makes that plan the generic
-- one for these statements alone (every plan here is the same index walk: a
-- product's pairs or similar rows by primary key or covering index, whatever
-- the parameters). The calling statement (the slug lookup and this call) has
-- no parameter that moves its estimates, so Postgres's own choice there is
-- its generic plan.
--
-- Both return the list best first (score descending, then id), as the
-- statements they replace did; `p_product` null returns nothing.

create function rec_bought_together(p_product bigint, p_min_support integer, p_limit integer)
returns table (other_id bigint, score float8)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
  -- The cosine w(a,b) / sqrt(w(a)·w(b)); one seed, so each pair is one row (no sums).
  return query
    select p.other_id, (p.weight / sqrt(ia.weight * ib.weight))::float8 as score
    from rec_items ia
    join rec_pairs p on p.product_id = ia.product_id
    join rec_items ib on ib.product_id = p.other_id
    where ia.product_id = p_product and p.support >= p_min_support
    order by 2 desc, 1
    limit p_limit;
end
$$;

create function rec_similar_to(p_product bigint, p_limit integer)
returns table (other_id bigint, score float8)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
  return query
    select s.similar_id, s.score::float8
    from rec_similar s
    where s.product_id = p_product and s.similar_id <> p_product
    order by 2 desc, 1
    limit p_limit;
end
$$;
