import type { Database } from "../../db/client.ts";
import { conflict, unauthorized, unprocessable } from "../../platform/problem.ts";
import { recordEvent } from "../core/outbox.ts";
import { getCredentialsById, type PublicUser, updateUser } from "../users/queries.ts";
import type { ProfilePatch } from "../users/schemas.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { revokeAllForUser } from "./refresh.ts";
import { claimAttempt, clearAttempts, lockedOut } from "./throttle.ts";

/**
 * Applies a profile update (`PATCH /api/users/me`). It lives in auth because
 * it changes credentials: the users module keeps the rows, auth decides who
 * may change them and how. Changing the password or the email needs the
 * current password (throttled like a login, since a stolen access token must
 * not become a way to guess it, or to take the account over by moving its
 * email). A password change ends every refresh-token session of the user; an
 * email change records `user.email_changed`, which mails the old address.
 */
export async function updateProfile(db: Database, userId: number, patch: ProfilePatch): Promise<PublicUser> {
  let passwordHash: string | undefined;
  let oldEmail: string | undefined;
  if (patch.email !== undefined) {
    const current = await getCredentialsById(db.primary, userId);
    if (!current) throw unauthorized("The account no longer exists.");
    if (current.email !== patch.email) oldEmail = current.email;
  }
  if (patch.password !== undefined || oldEmail !== undefined) {
    if (patch.current_password === undefined) {
      throw unprocessable("The current password is required to change the email or password.", [
        { path: "current_password", message: "is required to change the email or password" },
      ]);
    }
    await checkCurrentPassword(db, userId, patch.current_password);
  }
  if (patch.password !== undefined) passwordHash = await hashPassword(patch.password);
  const result = await db.tx(async (tx) => {
    const updated = await updateUser(tx, userId, { name: patch.name, email: patch.email, passwordHash });
    if (updated === "conflict" || updated === null) return updated;
    if (passwordHash !== undefined) await revokeAllForUser(tx, userId);
    if (oldEmail !== undefined && updated.email !== oldEmail) {
      await recordEvent(
        tx,
        "user.email_changed",
        { user_id: userId, old_email: oldEmail, new_email: updated.email },
        userId,
      );
    }
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
