import type { TxSql } from "../client.ts";

/**
 * Runs a bulk load with the secondary indexes of `tables` dropped and then
 * rebuilt from their saved definitions: building a GIN or B-tree index once
 * over sorted input is several times cheaper than updating it row by row
 * (products carries eleven of them, two GIN). Indexes that back a
 * constraint (primary keys, unique slugs and SKUs) stay, so the load is
 * still checked. DDL is transactional in Postgres: called inside the seed's
 * transaction, a failure restores every index with the rollback. The drop
 * takes an exclusive lock on the tables until commit, which is why the seed
 * only does this when the tables are (nearly) empty.
 */
export async function withIndexesDeferred<T>(
  tx: TxSql,
  tables: string[],
  load: () => Promise<T>,
): Promise<T> {
  const indexes = await tx<{ name: string; definition: string }[]>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = any(${tables})
      and not exists (
        select 1 from pg_constraint c
        where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
      )
    order by i.indexname`;
  for (const index of indexes) await tx.unsafe(`drop index ${quoteIdent(index.name)}`);
  const result = await load();
  // GIN builds sort their entries in memory; the default 64 MB makes them spill and merge.
  await tx`select set_config('maintenance_work_mem', '256MB', true)`;
  // Definitions come from pg_indexes, i.e. from the catalog itself, not from input.
  for (const index of indexes) await tx.unsafe(index.definition);
  return result;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
