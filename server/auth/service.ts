import type { Database } from "../../db/client.ts";
import { HttpProblem } from "../../platform/problem.ts";
import { recordEvent } from "../core/outbox.ts";
import type { AuthUser } from "../core/roles.ts";
import { signAccessToken } from "../core/tokens.ts";
import { getCredentialsByEmail, getUserById, insertUser, type PublicUser } from "../users/queries.ts";
import { hashPassword, verifyDummy, verifyPassword } from "./passwords.ts";
import { issueRefreshToken, revokeAllForUser, revokeFamilyOf, spendRefreshToken } from "./refresh.ts";
import { claimAttempt, clearAttempts, lockedOut } from "./throttle.ts";

/** What the auth service needs: the database and the token settings. */
export interface AuthSettings {
  db: Database;
  secret: string;
  accessTtlS: number;
  refreshTtlS: number;
}

/** The body of register, login and refresh answers. */
export interface Session {
  user: PublicUser;
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  /** Access token lifetime in seconds. */
  expires_in: number;
}

const badCredentials = () =>
  new HttpProblem(401, "invalid-credentials", "The email or password is incorrect.", undefined, undefined, {
    "WWW-Authenticate": "Bearer",
  });
const badRefresh = () =>
  new HttpProblem(401, "invalid-refresh-token", "The refresh token is invalid, expired or revoked.");

function accessToken(s: AuthSettings, u: AuthUser): string {
  return signAccessToken(
    { id: u.id, email: u.email, role: u.role },
    { secret: s.secret, ttlSeconds: s.accessTtlS },
  );
}

/**
 * Creates a customer account and its first session. The `user.registered`
 * event is written in the same transaction. 409 when the email is taken.
 */
export async function register(
  s: AuthSettings,
  input: { email: string; password: string; name: string },
): Promise<Session> {
  // Hash before the transaction: it takes tens of milliseconds and must not hold a connection.
  const passwordHash = await hashPassword(input.password);
  const session = await s.db.tx(async (tx) => {
    const user = await insertUser(tx, { email: input.email, name: input.name, passwordHash });
    if (!user) return null;
    await recordEvent(
      tx,
      "user.registered",
      { user_id: user.id, email: user.email, name: user.name },
      user.id,
    );
    const refresh = await issueRefreshToken(tx, user.id, s.refreshTtlS);
    return { user, refresh };
  });
  if (!session) throw new HttpProblem(409, "email-taken", "An account with this email already exists.");
  return {
    user: session.user,
    access_token: accessToken(s, session.user),
    refresh_token: session.refresh.token,
    token_type: "Bearer",
    expires_in: s.accessTtlS,
  };
}

/**
 * Checks credentials and starts a session. Unknown emails cost one dummy
 * verification so that they take as long as wrong passwords; both answer the
 * same 401. An account locked for the caller's address answers 429 with
 * Retry-After (see throttle.ts); other addresses are not affected.
 */
export async function login(
  s: AuthSettings,
  input: { email: string; password: string },
  clientIp = "",
): Promise<Session> {
  const attempt = await claimAttempt(s.db.primary, input.email, clientIp);
  if (!attempt.allowed) {
    throw lockedOut(
      attempt.retryAfterS,
      "Too many failed sign-in attempts for this account from your address. Try again later.",
    );
  }
  const found = await getCredentialsByEmail(s.db.primary, input.email);
  const ok = found
    ? await verifyPassword(input.password, found.password_hash)
    : await verifyDummy(input.password);
  if (!found || !ok) throw badCredentials();
  await clearAttempts(s.db.primary, input.email, clientIp);
  const { password_hash: _, ...user } = found;
  const refresh = await s.db.tx((tx) => issueRefreshToken(tx, user.id, s.refreshTtlS));
  return {
    user,
    access_token: accessToken(s, user),
    refresh_token: refresh.token,
    token_type: "Bearer",
    expires_in: s.accessTtlS,
  };
}

/**
 * Rotates a refresh token: the presented one is spent, a new one in the same
 * family is issued. A spent token presented again revokes the whole family.
 */
export async function refresh(s: AuthSettings, token: string): Promise<Session> {
  const result = await s.db.tx(async (tx) => {
    const spent = await spendRefreshToken(tx, token);
    if (!spent.ok) return spent;
    const user = await getUserById(tx, spent.userId);
    // Deleted since the token was issued (refresh tokens go with their user; kept for safety).
    if (!user) return { ok: false as const };
    const next = await issueRefreshToken(tx, spent.userId, s.refreshTtlS, spent.familyId);
    return { ok: true as const, next, user };
  });
  // Thrown only now, after the commit, so that a reuse revocation is kept.
  if (!result.ok) throw badRefresh();
  return {
    user: result.user,
    access_token: accessToken(s, result.user),
    refresh_token: result.next.token,
    token_type: "Bearer",
    expires_in: s.accessTtlS,
  };
}

/**
 * Ends sessions of `userId`: the family of `refreshToken` when given (a
 * token that is unknown or someone else's changes nothing), else every
 * refresh token of the user. Access tokens stay valid until they expire.
 */
export async function logout(s: AuthSettings, userId: number, refreshToken?: string): Promise<void> {
  await s.db.tx(async (tx) => {
    if (refreshToken === undefined) await revokeAllForUser(tx, userId);
    else await revokeFamilyOf(tx, userId, refreshToken);
  });
}
