import type { Sql, TxSql } from "../../db/client.ts";
import type { AddressInput } from "./schemas.ts";

/** A saved address as the API shows it. */
export interface Address {
  id: number;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postal_code: string;
  country: string;
  is_default: boolean;
  created_at: string;
}

interface AddressRow extends Omit<Address, "id" | "created_at"> {
  id: string;
  created_at: Date;
}

/** Most addresses one account may keep; bounds the list and abuse. */
export const MAX_ADDRESSES = 50;

const toAddress = (r: AddressRow): Address => ({
  id: Number(r.id),
  name: r.name,
  line1: r.line1,
  line2: r.line2,
  city: r.city,
  postal_code: r.postal_code,
  country: r.country,
  is_default: r.is_default,
  created_at: r.created_at.toISOString(),
});

/** One page of a user's addresses, default first, then newest first. */
export async function listAddresses(
  sql: Sql,
  userId: number,
  page: number,
  pageSize: number,
): Promise<{ items: Address[]; total: number }> {
  const rows = await sql<(AddressRow & { total: string })[]>`
    select id, name, line1, line2, city, postal_code, country, is_default, created_at,
           count(*) over () as total
    from addresses where user_id = ${userId}
    order by is_default desc, created_at desc, id desc
    limit ${pageSize} offset ${(page - 1) * pageSize}`;
  const total = rows[0]
    ? Number(rows[0].total)
    : Number((await sql`select count(*)::int as n from addresses where user_id = ${userId}`)[0]?.n ?? 0);
  return { items: rows.map(toAddress), total };
}

/** One of the user's addresses; null when it does not exist or belongs to someone else. */
export async function getAddress(sql: Sql | TxSql, userId: number, id: number): Promise<Address | null> {
  const [row] = await sql<AddressRow[]>`
    select id, name, line1, line2, city, postal_code, country, is_default, created_at
    from addresses where id = ${id} and user_id = ${userId}`;
  return row ? toAddress(row) : null;
}

/**
 * Adds an address. The user row is locked first so that concurrent requests
 * cannot exceed the limit or leave two defaults. The first address becomes the
 * default. Returns "limit" when the user already has MAX_ADDRESSES.
 */
export async function insertAddress(tx: TxSql, userId: number, a: AddressInput): Promise<Address | "limit"> {
  await tx`select id from users where id = ${userId} for update`;
  const [{ n, defaults } = { n: 0, defaults: 0 }] = await tx<{ n: number; defaults: number }[]>`
    select count(*)::int as n, count(*) filter (where is_default)::int as defaults
    from addresses where user_id = ${userId}`;
  if (n >= MAX_ADDRESSES) return "limit";
  const isDefault = a.is_default || defaults === 0;
  if (isDefault) await tx`update addresses set is_default = false where user_id = ${userId} and is_default`;
  const [row] = await tx<AddressRow[]>`
    insert into addresses (user_id, name, line1, line2, city, postal_code, country, is_default)
    values (${userId}, ${a.name}, ${a.line1}, ${a.line2}, ${a.city}, ${a.postal_code}, ${a.country}, ${isDefault})
    returning id, name, line1, line2, city, postal_code, country, is_default, created_at`;
  return toAddress(row!);
}

/** Deletes one of the user's addresses; false when it was not theirs or did not exist. */
export async function deleteAddress(tx: TxSql, userId: number, id: number): Promise<boolean> {
  const rows = await tx`delete from addresses where id = ${id} and user_id = ${userId} returning id`;
  return rows.length > 0;
}
