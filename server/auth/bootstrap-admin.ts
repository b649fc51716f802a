import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { recordEvent } from "../core/outbox.ts";
import {
  getUserById,
  insertUser,
  lockUserByEmail,
  type PublicUser,
  setUserRole,
  updateUser,
} from "../users/queries.ts";
import { emailSchema, nameSchema, newPasswordSchema } from "../users/schemas.ts";
import { hashPassword } from "./passwords.ts";
import { revokeAllForUser } from "./refresh.ts";

/** Input of `bun run create-admin`. */
const adminInput = z.object({
  email: emailSchema,
  password: newPasswordSchema.optional(),
  name: nameSchema.default("Administrator"),
  /** Required to change an existing account: without it, an existing email is refused. */
  promote: z.boolean().default(false),
});
export type AdminInput = z.input<typeof adminInput>;

/** What `ensureAdmin` did. */
export interface AdminResult {
  user: PublicUser;
  created: boolean;
  passwordChanged: boolean;
}

/**
 * The email belongs to an existing account and `--promote` was not given.
 * Whoever registered that address first must not become admin by accident.
 */
export class ExistingAccountError extends Error {
  constructor(email: string) {
    super(
      `an account with ${email} already exists; pass --promote to make it an admin ` +
        "(with --password its password is replaced and its sessions end)",
    );
    this.name = "ExistingAccountError";
  }
}

/** The user asked for does not exist and no password was given to create them. */
export class PasswordRequiredError extends Error {
  constructor() {
    super("--password is required to create a new admin");
    this.name = "PasswordRequiredError";
  }
}

/**
 * Creates an admin account. An existing account with that email is changed
 * only when `promote` is set: it becomes admin and, when a password is
 * given, gets that password and loses every refresh session (whoever held
 * the account before must not keep a way in). Without `promote` an existing
 * account is refused (ExistingAccountError), unless it already is an admin
 * and nothing would change. Validation errors are thrown as ZodError; run it
 * again safely, it converges.
 */
export async function ensureAdmin(db: Database, raw: AdminInput): Promise<AdminResult> {
  const input = adminInput.parse(raw);
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return db.tx(async (tx) => {
    if (passwordHash !== undefined) {
      // Insert first: with `on conflict do nothing` this is race-free against a concurrent register.
      const created = await insertUser(tx, {
        email: input.email,
        name: input.name,
        passwordHash,
        role: "admin",
      });
      if (created) {
        await recordEvent(
          tx,
          "user.registered",
          { user_id: created.id, email: created.email, name: created.name, role: "admin" },
          created.id,
        );
        return { user: created, created: true, passwordChanged: true };
      }
    }
    const id = await lockUserByEmail(tx, input.email);
    if (id === null) throw new PasswordRequiredError();
    if (!input.promote) {
      // Without --promote an existing account is left alone, unless it is an admin already
      // and nothing would change.
      const current = await getUserById(tx, id);
      if (current?.role !== "admin" || passwordHash !== undefined)
        throw new ExistingAccountError(input.email);
    }
    let user = await setUserRole(tx, id, "admin");
    const reset = passwordHash !== undefined;
    if (reset) {
      const updated = await updateUser(tx, id, { passwordHash });
      if (updated && updated !== "conflict") user = updated;
      await revokeAllForUser(tx, id);
    }
    return { user: user!, created: false, passwordChanged: reset };
  });
}
