import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { TxSql } from "../../db/client.ts";

/**
 * Opaque refresh tokens: 32 random bytes (base64url) handed to the client,
 * only their SHA-256 stored. Each login starts a family; each refresh spends
 * the presented token and issues the next one in the same family. Presenting
 * a spent token means it was stolen (or replayed), so the whole family is
 * revoked and both parties must log in again.
 */

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/** A newly issued refresh token. */
export interface IssuedRefreshToken {
  token: string;
  familyId: string;
  expiresAt: Date;
}

/** Issues a refresh token in `familyId` (a new family when omitted). */
export async function issueRefreshToken(
  tx: TxSql,
  userId: number,
  ttlSeconds: number,
  familyId: string = randomUUID(),
): Promise<IssuedRefreshToken> {
  const token = randomBytes(32).toString("base64url");
  const [row] = await tx<{ expires_at: Date }[]>`
    insert into refresh_tokens (user_id, family_id, token_hash, expires_at)
    values (${userId}, ${familyId}, ${hashToken(token)}, now() + make_interval(secs => ${ttlSeconds}))
    returning expires_at`;
  return { token, familyId, expiresAt: row!.expires_at };
}

/** The outcome of spending a refresh token. */
export type SpendResult =
  | { ok: true; userId: number; familyId: string }
  | { ok: false; reason: "unknown" | "expired" | "revoked" | "reused" };

/**
 * Marks a refresh token spent, locking its row so that two concurrent
 * refreshes with one token cannot both succeed (the second counts as reuse).
 * On reuse the family is revoked inside `tx`; the caller must commit before
 * answering 401 so that the revocation sticks.
 */
export async function spendRefreshToken(tx: TxSql, token: string): Promise<SpendResult> {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: "unknown" };
  const [row] = await tx<
    {
      id: string;
      user_id: string;
      family_id: string;
      used_at: Date | null;
      revoked_at: Date | null;
      expired: boolean;
    }[]
  >`
    select id, user_id, family_id, used_at, revoked_at, expires_at <= now() as expired
    from refresh_tokens
    where token_hash = ${hashToken(token)}
    for update`;
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revoked_at) return { ok: false, reason: "revoked" };
  if (row.used_at) {
    await revokeFamily(tx, row.family_id);
    return { ok: false, reason: "reused" };
  }
  if (row.expired) return { ok: false, reason: "expired" };
  await tx`update refresh_tokens set used_at = now() where id = ${row.id}`;
  return { ok: true, userId: Number(row.user_id), familyId: row.family_id };
}

/** Revokes every live token of a family. */
async function revokeFamily(tx: TxSql, familyId: string): Promise<void> {
  await tx`update refresh_tokens set revoked_at = now() where family_id = ${familyId} and revoked_at is null`;
}

/**
 * Revokes the family of `token` if it belongs to `userId`; returns false when
 * the token is unknown or someone else's (nothing is revoked then).
 */
export async function revokeFamilyOf(tx: TxSql, userId: number, token: string): Promise<boolean> {
  if (!TOKEN_SHAPE.test(token)) return false;
  const [row] = await tx<{ family_id: string }[]>`
    select family_id from refresh_tokens where token_hash = ${hashToken(token)} and user_id = ${userId}`;
  if (!row) return false;
  await revokeFamily(tx, row.family_id);
  return true;
}

/** Revokes every refresh token of a user (logout everywhere, password change). */
export async function revokeAllForUser(tx: TxSql, userId: number): Promise<void> {
  await tx`update refresh_tokens set revoked_at = now() where user_id = ${userId} and revoked_at is null`;
}
