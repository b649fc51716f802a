import type { Database } from "../../db/client.ts";
import { conflict, unauthorized, unprocessable } from "../../platform/problem.ts";
import { getCredentialsById, type PublicUser, updateUser } from "../users/queries.ts";
import type { ProfilePatch } from "../users/schemas.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { revokeAllForUser } from "./refresh.ts";
import { claimAttempt, clearAttempts, lockedOut } from "./throttle.ts";

/**
 * Applies a profile update (`PATCH /api/users/me`). It lives in auth because
 * it changes credentials: the users module keeps the rows, auth decides who
 * may change them and how. A password change needs the current password
 * (throttled like a login, since a stolen access token must not become a way
 * to guess it) and ends every refresh-token session of the user.
 */
export async function updateProfile(db: Database, userId: number, patch: ProfilePatch): Promise<PublicUser> {
  let passwordHash: string | undefined;
  if (patch.password !== undefined) {
    await checkCurrentPassword(db, userId, patch.current_password ?? "");
    passwordHash = await hashPassword(patch.password);
  }
  const result = await db.tx(async (tx) => {
    const updated = await updateUser(tx, userId, { name: patch.name, email: patch.email, passwordHash });
    if (updated === "conflict" || updated === null) return updated;
    if (passwordHash !== undefined) await revokeAllForUser(tx, userId);
    return updated;
  });
  if (result === "conflict") throw conflict("An account with this email already exists.", "email-taken");
  if (result === null) throw unauthorized("The account no longer exists.");
  return result;
}

async function checkCurrentPassword(db: Database, userId: number, password: string): Promise<void> {
  const user = await getCredentialsById(db.primary, userId);
  if (!user) throw unauthorized("The account no longer exists.");
  const attempt = await claimAttempt(db.primary, user.email);
  if (!attempt.allowed) {
    throw lockedOut(
      attempt.retryAfterS,
      "Too many failed password checks for this account. Try again later.",
    );
  }
  if (!(await verifyPassword(password, user.password_hash))) {
    throw unprocessable("The current password is incorrect.", [
      { path: "current_password", message: "is incorrect" },
    ]);
  }
  await clearAttempts(db.primary, user.email);
}
