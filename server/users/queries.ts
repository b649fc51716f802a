import type { Sql, TxSql } from "../../db/client.ts";
import type { Role } from "../core/roles.ts";

/** A user as the API shows it: never the password hash or lockout state. */
export interface PublicUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  created_at: string;
  updated_at: string;
}

/** A user row with its credentials, for the auth module only. */
export interface UserCredentials extends PublicUser {
  password_hash: string;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  created_at: Date;
  updated_at: Date;
  password_hash?: string;
}

const toPublic = (r: UserRow): PublicUser => ({
  id: Number(r.id),
  email: r.email,
  name: r.name,
  role: r.role,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

/** A user by id, or null. Pass `db.primary` (or a transaction) to read your own writes. */
export async function getUserById(sql: Sql | TxSql, id: number): Promise<PublicUser | null> {
  const [row] = await sql<UserRow[]>`
    select id, email, name, role, created_at, updated_at from users where id = ${id}`;
  return row ? toPublic(row) : null;
}

/** A user with the password hash, by normalised email, or null. */
export async function getCredentialsByEmail(
  sql: Sql | TxSql,
  email: string,
): Promise<UserCredentials | null> {
  const [row] = await sql<UserRow[]>`
    select id, email, name, role, created_at, updated_at, password_hash from users where email = ${email}`;
  return row ? { ...toPublic(row), password_hash: row.password_hash! } : null;
}

/** A user with the password hash, by id, or null. */
export async function getCredentialsById(sql: Sql | TxSql, id: number): Promise<UserCredentials | null> {
  const [row] = await sql<UserRow[]>`
    select id, email, name, role, created_at, updated_at, password_hash from users where id = ${id}`;
  return row ? { ...toPublic(row), password_hash: row.password_hash! } : null;
}

/** Fields of a new user; `email` normalised, `passwordHash` already hashed. */
export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  role?: Role;
}

/** Inserts a user; returns null (and inserts nothing) when the email is taken. */
export async function insertUser(tx: TxSql, u: NewUser): Promise<PublicUser | null> {
  const [row] = await tx<UserRow[]>`
    insert into users (email, name, password_hash, role)
    values (${u.email}, ${u.name}, ${u.passwordHash}, ${u.role ?? "customer"})
    on conflict (email) do nothing
    returning id, email, name, role, created_at, updated_at`;
  return row ? toPublic(row) : null;
}

/** Changes of a profile update; absent fields stay as they are. */
export interface ProfileChanges {
  name?: string;
  email?: string;
  passwordHash?: string;
}

/**
 * Updates a profile. Returns "conflict" when the new email belongs to someone
 * else, null when the user no longer exists.
 */
export async function updateUser(
  tx: TxSql,
  id: number,
  ch: ProfileChanges,
): Promise<PublicUser | null | "conflict"> {
  if (ch.email !== undefined) {
    const [taken] = await tx`select 1 from users where email = ${ch.email} and id <> ${id}`;
    if (taken) return "conflict";
  }
  try {
    const [row] = await tx<UserRow[]>`
      update users set
        name = coalesce(${ch.name ?? null}, name),
        email = coalesce(${ch.email ?? null}, email),
        password_hash = coalesce(${ch.passwordHash ?? null}, password_hash),
        updated_at = now()
      where id = ${id}
      returning id, email, name, role, created_at, updated_at`;
    return row ? toPublic(row) : null;
  } catch (err) {
    // A concurrent update can still take the email between the check and the update.
    if ((err as { code?: string }).code === "23505") return "conflict";
    throw err;
  }
}

/** Locks the user row with this (normalised) email; returns its id, or null when there is none. */
export async function lockUserByEmail(tx: TxSql, email: string): Promise<number | null> {
  const [row] = await tx<{ id: string }[]>`select id from users where email = ${email} for update`;
  return row ? Number(row.id) : null;
}

/** Sets a user's role; returns the updated user or null when there is none. */
export async function setUserRole(tx: TxSql, id: number, role: Role): Promise<PublicUser | null> {
  const [row] = await tx<UserRow[]>`
    update users set role = ${role}, updated_at = now() where id = ${id}
    returning id, email, name, role, created_at, updated_at`;
  return row ? toPublic(row) : null;
}
